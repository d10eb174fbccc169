"""Pull-request checks: the fast check of a pull request's changes, the job summary, the workflow and hooks.

``karigar check --changed-from BASE`` reads only the districts a pull
request touches and the artisan folders that share a name with theirs: it
must report, for a broken pull request, exactly what a check of the whole
catalog reports (the base being clean), including a clash with an entry the
pull request did not touch.  ``--format github`` annotates lines, which GitHub
shows only 10 per step: every diagnostic also goes to the job summary.  The
workflow and the pre-commit configuration are validated by the tools GitHub
and pre-commit users rely on (check-jsonschema's vendored copy of GitHub's
workflow schema, ``pre-commit validate-config``), offline.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from karigar.cli import main
from karigar.commands.check import run_check
from karigar.commands.job_summary import summary_markdown
from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.photos.metadata import scan_metadata
from tests.conftest import NOW, REPO
from tests.realsite import copy_sample

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

BIN = Path(sys.executable).parent
WORKFLOW = REPO / ".github" / "workflows" / "pr-checks.yml"
ANNOTATION = re.compile(r"^::(error|warning) file=([^,]*),(?:line=(\d+),col=(\d+),)?title=([^:]*)::(.*)$")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Volunteer", "-c", "user.email=volunteer@example.org",
                           "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def artisan(name: str, district: str, province: str, craft: str = "ralli-quilting") -> str:
    return (f"---\nname: {name}\nkind: person\ncrafts: [{craft}]\nlocation:\n  district: {district}\n"
            f"  province: {province}\nconsent:\n  given: 2025-02-09\n  recorded_by: volunteer-sana-k\n---\n\n"
            f"{name} pieces quilts at home.\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample site as a Git repository, plus a district the registry does not list (its names come
    from its artisans, who must agree), committed: the base of a pull request."""
    root = copy_sample(tmp_path / "site")
    (root / ".gitignore").write_text(".karigar-cache/\nsite/\n", "utf-8")
    write(root, "artisans/pk/new-town/amina-khatoon/index.md", artisan("Amina Khatoon", "New Town", "Sindh"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def check(root: Path, *args: str, summary: Path | None = None) -> tuple[int, list[tuple[str, ...]], str]:
    """``karigar check --format github ARGS``: (exit code, annotations as tuples, standard error)."""
    out, err = io.StringIO(), io.StringIO()
    code = run_check(config_file=root / "mkdocs.yml", now=NOW, fmt="github", out=out, err=err,
                     changed_from=args[0] if args else None, job_summary=summary)
    found = [m.groups() for m in map(ANNOTATION.match, out.getvalue().splitlines()) if m]
    assert len(found) == ("\n" + out.getvalue()).count("\n::"), out.getvalue()  # every line is an annotation
    return code, [tuple(g or "" for g in f) for f in found], err.getvalue()


def break_it(root: Path) -> None:
    """A pull request with an error in an edited entry, one in a new product, a district that now disagrees
    with itself, and a new artisan folder named like an artisan of another district."""
    index = root / "artisans/pk/thatta/shazia-bibi/index.md"
    index.write_text(index.read_text("utf-8").replace("crafts: [ralli-quilting]", "crafts: [ralli-quilts]"), "utf-8")
    product = root / "artisans/pk/thatta/shazia-bibi/products/ralli-baby-quilt.md"
    write(root, "artisans/pk/thatta/shazia-bibi/products/ralli-baby-quilt-2.md",
          product.read_text("utf-8").replace("marketplace: etsy", "marketplace: etsy-shop"))
    write(root, "artisans/pk/new-town/sara-bano/index.md", artisan("Sara Bano", "New Town", "Punjab"))
    # Sorts before artisans/pk/thatta/khatri-ajrak-family/: the clash is reported on the untouched one.
    write(root, "artisans/pk/multan/khatri-ajrak-family/index.md",
          artisan("Khatri Family of Multan", "Multan", "Punjab", craft="ajrak-block-printing"))


def test_the_fast_check_reports_exactly_what_the_full_check_reports_for_a_broken_pull_request(repo: Path) -> None:
    code, base_diagnostics, _ = check(repo)
    assert code == 0 and not [d for d in base_diagnostics if d[0] == "error"]
    break_it(repo)
    full_code, full, _ = check(repo)
    fast_code, fast, err = check(repo, "HEAD")
    assert "checking the whole catalog" not in err
    assert full_code == fast_code == 1
    codes = {d[4] for d in fast if d[0] == "error"}
    assert {"duplicate-slug", "district-disagree"} <= codes and len(codes) >= 4, fast
    assert [d for d in full if d[0] == "error"] == [d for d in fast if d[0] == "error"]
    assert set(fast) <= set(full)
    # The clash is with an entry the pull request did not touch, in another district.
    assert any(d[4] == "duplicate-slug" and d[1] == "artisans/pk/thatta/khatri-ajrak-family/index.md" for d in fast)


def test_the_fast_check_of_a_committed_pull_request_compares_with_its_base(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "volunteer")
    break_it(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "four artisans' worth of mistakes")
    assert check(repo, "HEAD")[0] == 0  # nothing changed since the branch's own last commit
    code, fast, err = check(repo, base)
    assert code == 1 and "checking the whole catalog" not in err
    assert [d for d in fast if d[0] == "error"] == [d for d in check(repo)[1] if d[0] == "error"]


def test_a_registry_or_settings_change_is_checked_in_full(repo: Path) -> None:
    crafts = repo / "artisans/_registry/crafts.yml"
    crafts.write_text(crafts.read_text("utf-8") + "\n", "utf-8")
    code, fast, err = check(repo, "HEAD")
    assert code == 0
    assert "note: checking the whole catalog: artisans/_registry/crafts.yml changed" in err
    git(repo, "checkout", "-q", "--", ".")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\n", "utf-8")
    assert "checking the whole catalog: mkdocs.yml changed" in check(repo, "HEAD")[2]


def test_a_catalog_near_the_folder_cap_is_counted_whole(repo: Path) -> None:
    # Site-wide listings (a country's districts, the paged indexes) are counted only by a full check:
    # when the catalog could come near folder_cap, the fast check hands over to it.
    config = repo / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^(      languages: .*)$", r"\1\n      folder_cap: 20", config.read_text("utf-8"),
                             count=1), "utf-8")
    git(repo, "commit", "-q", "-a", "-m", "a host with small folders")
    break_it(repo)
    code, fast, err = check(repo, "HEAD")
    assert "note: checking the whole catalog: the catalog is near folder_cap" in err
    assert code == 1 and (code, fast) == check(repo)[:2]


def test_a_base_this_clone_lacks_means_a_full_check_not_a_silent_pass(repo: Path) -> None:
    write(repo, "artisans/pk/thatta/shazia-bibi/index.md", "---\nname: [\n---\n")
    code, fast, err = check(repo, "0123456789abcdef0123456789abcdef01234567")
    assert code == 1 and "is not a commit in this clone" in err
    assert any(d[1] == "artisans/pk/thatta/shazia-bibi/index.md" for d in fast)


def test_an_untracked_new_artisan_is_part_of_the_changes(repo: Path) -> None:
    write(repo, "artisans/pk/new-town/sara-bano/index.md", artisan("Sara Bano", "New Town", "Punjab"))
    code, fast, _ = check(repo, "HEAD")
    assert code == 1
    assert [d[4] for d in fast if d[0] == "error"] == ["district-disagree"]


# -- the job summary -------------------------------------------------------------------------------

def cells(row: str) -> list[str]:
    """The cells of a Markdown table row as GitHub splits them (an escaped pipe stays in its cell)."""
    assert row.startswith("| ") and row.endswith(" |"), row
    return [c.strip() for c in re.split(r"(?<!\\)\|", row[1:-1])]


def test_every_error_reaches_the_job_summary_beyond_githubs_annotation_limits(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(60):
        write(repo, f"artisans/pk/thatta/shazia-bibi/products/quilt-{n:02}.md",
              f"---\ntitle: Quilt {n}\nlistings:\n  - marketplace: nowhere\n    id: 'x{n}'\n---\n\nA quilt.\n")
    summary = repo / "summary.md"
    summary.write_text("### an earlier step's section\n", "utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check", "-f", str(repo / "mkdocs.yml"), "--now", NOW.isoformat(), "--format", "github",
                 "--changed-from", "HEAD"]) == 1
    annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::error ")]
    assert len(annotations) >= 60  # all printed; GitHub itself shows 10 of them per step
    text = summary.read_text("utf-8")
    assert text.startswith("### an earlier step's section\n")  # appended, not replaced
    rows = [line for line in text.splitlines() if line.startswith("| `artisans/")]
    assert len(rows) == len(annotations)
    for row, annotation in zip(rows, annotations):
        file_, line, col = ANNOTATION.match(annotation).group(2, 3, 4)  # type: ignore[union-attr]
        where, severity, code, *_ = cells(row)
        assert (where, severity) == (f"`{file_}:{line}:{col}`", "error")
        assert code == f"`{ANNOTATION.match(annotation).group(5)}`"  # type: ignore[union-attr]
    assert f"{len(annotations)} error(s)" in text


def test_summary_cells_survive_pipes_html_and_line_breaks_in_content() -> None:
    hostile = Diagnostic(Severity.ERROR, "phone-number", "the text `a|b <script>x</script>` has a | and <b>bold</b>\n"
                         "on two lines", Location("artisans/pk/x/y/index.md", 3, 5), "quote ` it | here")
    text = summary_markdown([hostile], title="karigar check")
    row = next(line for line in text.splitlines() if line.startswith("| `artisans/"))
    assert len(cells(row)) == 5
    message, hint = cells(row)[3:]
    assert message.startswith("the text `a\\|b <script>x</script>`")  # inside a code span: shown as written
    assert "&lt;b&gt;bold&lt;/b&gt;" in message and "<b>" not in message.split("`")[2]
    assert "\n" not in row and "\\x0a" in message
    assert hint == "quote &#96; it \\| here"  # an unmatched backtick opens no code span


def test_a_summary_too_big_for_github_says_how_many_rows_it_left_out() -> None:
    many = [Diagnostic(Severity.ERROR, "x", "m" * 100, Location(f"a/{n}.md", 1, 1)) for n in range(1000)]
    text = summary_markdown(many, title="karigar check", limit=20_000)
    rows = [line for line in text.splitlines() if line.startswith("| `a/")]
    assert len(text.encode()) <= 20_000 + 200 and 0 < len(rows) < 1000
    assert f"{1000 - len(rows)} more not listed" in text


# -- the workflow and the hooks ---------------------------------------------------------------------

def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN))
    assert found is not None, f"{name} is installed with the test extras (pyproject.toml)"
    return found


def test_the_workflows_are_valid_against_githubs_workflow_schema() -> None:
    # check-jsonschema ships a copy of the schema GitHub's own editor uses (SchemaStore's): no network.
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert WORKFLOW in workflows and len(workflows) >= 2
    done = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, workflows)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_checks_every_pull_request_with_no_secrets_and_read_only_rights() -> None:
    text = WORKFLOW.read_text("utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert list(triggers) == ["pull_request"] and not triggers["pull_request"]  # every pull request, forks' too
    assert workflow["permissions"] == {"contents": "read"}
    assert "secrets." not in text and "pull_request_target" not in text
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] >= 2
    runs = [step.get("run", "") for step in steps]
    order = [next(n for n, run in enumerate(runs) if what in run)
             for what in ("karigar check --format github --changed-from", "karigar photos clean --check", ".ci/run")]
    assert order == sorted(order)
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"] == {"python-version": "3.11", "cache": "pip"}


def run_step(repo: Path, tmp_path: Path, name_starts: str) -> subprocess.CompletedProcess[str]:
    """Run the workflow's own step as the runner does (bash -eo pipefail), in ``repo``."""
    (step,) = [s for s in yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]["pr-checks"]["steps"]
               if s.get("name", "").startswith(name_starts)]
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path), "RUNNER_TEMP": str(runner_temp)}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                          env=env, capture_output=True, text=True)


def test_the_workflows_steps_block_a_pull_request_adding_a_gps_photo(repo: Path, tmp_path: Path) -> None:
    from tests.test_photo_metadata import make_photo

    git(repo, "checkout", "-q", "-b", "volunteer")
    folder = repo / "artisans/pk/thatta/shazia-bibi/photos"
    (folder / "clean quilt.jpg").write_bytes(make_photo("JPEG", set()))  # a space in the name, too
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a clean photo")
    passed = run_step(repo, tmp_path, "Photos carry no GPS")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert run_step(repo, tmp_path, "Check what the pull request changes").returncode == 0

    (folder / "Quilt.JPG").write_bytes(make_photo("JPEG", {"gps"}))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a photo straight from the phone")
    blocked = run_step(repo, tmp_path, "Photos carry no GPS")
    assert blocked.returncode != 0
    assert "Quilt.JPG" in blocked.stdout + blocked.stderr and "clean quilt" not in blocked.stdout + blocked.stderr
    checked = run_step(repo, tmp_path, "Check what the pull request changes")
    assert checked.returncode == 1 and "title=photo-metadata" in checked.stdout, checked.stdout + checked.stderr


def test_the_pre_commit_configuration_and_hooks_are_valid() -> None:
    for command, file in (("validate-config", ".pre-commit-config.yaml"), ("validate-manifest", ".pre-commit-hooks.yaml")):
        done = subprocess.run([tool("pre-commit"), command, str(REPO / file)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_pre_commit_hooks_clean_a_gps_photo_before_it_is_committed_and_check_the_entries(
        repo: Path, tmp_path: Path) -> None:
    from tests.test_photo_metadata import make_photo  # the photo-metadata tests' maker of tagged photos

    shutil.copy(REPO / ".pre-commit-config.yaml", repo)
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
           "GIT_AUTHOR_NAME": "Volunteer", "GIT_AUTHOR_EMAIL": "v@example.org",
           "GIT_COMMITTER_NAME": "Volunteer", "GIT_COMMITTER_EMAIL": "v@example.org"}

    def commit() -> subprocess.CompletedProcess[str]:
        # What `git commit` runs once `pre-commit install` has put its hook in place.
        return subprocess.run([tool("pre-commit"), "run"], cwd=repo, env=env, capture_output=True, text=True)

    photo = repo / "artisans/pk/thatta/shazia-bibi/photos/new-quilt.jpg"
    photo.write_bytes(make_photo("JPEG", {"gps"}))
    git(repo, "add", str(photo))
    first = commit()
    assert first.returncode == 1, first.stdout
    assert "files were modified by this hook" in first.stdout
    assert scan_metadata(io.BytesIO(photo.read_bytes())) == frozenset()  # cleaned in place, before any commit
    git(repo, "add", str(photo))  # the volunteer stages the cleaned photo, as pre-commit asks
    assert commit().returncode == 0

    index = repo / "artisans/pk/thatta/shazia-bibi/index.md"
    index.write_text(index.read_text("utf-8").replace("crafts: [ralli-quilting]", "crafts: [ralli-quilts]"), "utf-8")
    git(repo, "add", str(index))
    refused = commit()
    assert refused.returncode == 1
    assert "artisans/pk/thatta/shazia-bibi/index.md:4:10: error: `crafts`: `ralli-quilts`" in refused.stdout
