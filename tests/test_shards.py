"""``karigar build --shard K/N``: N disjoint shares whose union is the single build, byte for byte.

Built through Material in the sample's three languages (a few districts of
it, to keep eleven builds quick), so the shares include MkDocs' pages, the
frames' assets, photos, sitemaps and ``_headers``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from karigar.write.funnel import DiskWriter
from karigar.write.shard import SITE_WIDE_OUTPUTS, Shard, parse_shard
from tests.conftest import NOW, REPO, settings_for
from karigar.pipeline import build_site
from tests.realsite import build_material, copy_sample, differences, tree

DISTRICTS = ("pk/thatta", "pk/multan")
PRODUCT = "artisans/pk/thatta/shazia-bibi/products/ralli-baby-quilt.md"


def build_shard(root: Path, site: Path, cache: Path, shard: Shard) -> None:
    settings = settings_for(root / "mkdocs.yml", site_dir=site, cache_dir=cache)
    writer = DiskWriter(site, cache / f"state-{shard.number}-of-{shard.count}")
    result = build_site(settings, now=NOW, writer=writer, run_mkdocs=True, jobs=1, shard=shard)
    assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]


def merged(folders: list[Path]) -> dict[str, str]:
    """The shard folders copied into one: every file must come from exactly one of them."""
    union: dict[str, str] = {}
    for folder in folders:
        files = tree(folder) if folder.exists() else {}
        assert not union.keys() & files.keys(), f"written by two shards: {sorted(union.keys() & files.keys())[:5]}"
        union.update(files)
    return union


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = copy_sample(tmp_path_factory.mktemp("shards") / "src", districts=DISTRICTS)
    build_material(root, root.parent / "single", root.parent / "single-cache")
    return root, tree(root.parent / "single")


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_the_shards_together_are_the_single_build_byte_for_byte(sample: tuple[Path, dict[str, str]],
                                                                count: int, tmp_path: Path) -> None:
    root, single = sample
    folders = [tmp_path / f"shard-{number}" for number in range(1, count + 1)]
    for number, folder in enumerate(folders, start=1):
        build_shard(root, folder, tmp_path / "cache", Shard(number, count))
    assert differences(merged(folders), single) == []
    if count > 1:
        shares = [len(tree(folder)) for folder in folders]
        assert min(shares) > len(single) // (count * 3), f"shares are balanced: {shares}"
    # The files made from the whole site are written once, by shard 1.
    first = tree(folders[0])
    assert "_headers" in first and "sitemap.xml" in first


def test_after_an_edit_the_shards_rebuild_into_the_new_single_build(sample: tuple[Path, dict[str, str]],
                                                                    tmp_path: Path) -> None:
    root, _ = sample
    folders = [tmp_path / "a", tmp_path / "b"]
    for number, folder in enumerate(folders, start=1):
        build_shard(root, folder, tmp_path / "cache", Shard(number, 2))
    edited = tmp_path / "edited"
    copy_sample(edited, districts=DISTRICTS)
    product = edited / PRODUCT
    product.write_text(product.read_text("utf-8").rstrip("\n") + "\n\nNow also in indigo.\n", "utf-8")
    for number, folder in enumerate(folders, start=1):
        build_shard(edited, folder, tmp_path / "cache", Shard(number, 2))
    build_material(edited, tmp_path / "single", tmp_path / "single-cache")
    assert differences(merged(folders), tree(tmp_path / "single")) == []


def test_every_path_has_exactly_one_owner() -> None:
    paths = [f"artisans/pk/d{i}/a{i}/index.html" for i in range(2000)] + ["_headers", "sitemap.xml",
                                                                          "sitemaps/1/sitemap-3.xml"]
    for count in (1, 2, 3, 4, 7):
        owners = [[n for n in range(1, count + 1) if Shard(n, count).owns(p)] for p in paths]
        assert all(len(found) == 1 for found in owners)
    assert all(Shard(1, 3).owns(p) for p in ("_headers", "sitemap.xml", "sitemaps/0/sitemap-1.xml"))
    assert SITE_WIDE_OUTPUTS[0] == "_headers"


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0"])
def test_a_wrong_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_shard(text)
    done = subprocess.run([sys.executable, "-m", "karigar", "build", "-f", str(REPO / "mkdocs.yml"), "--shard", text],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "--shard" in done.stderr


def test_the_workflow_builds_the_shards_as_a_matrix_then_merges_and_deploys() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "sharded-deploy.yml").read_text("utf-8"))
    jobs = workflow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    shards = build["strategy"]["matrix"]["shard"]
    total = int(workflow["env"]["SHARDS"])
    assert shards == list(range(1, total + 1)) and build["strategy"]["fail-fast"] is True
    steps = " ".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in build["steps"])
    assert "karigar build" in steps and "--shard ${{ matrix.shard }}/${{ env.SHARDS }}" in steps
    assert "actions/upload-artifact" in steps and "actions/cache" in steps
    assert deploy["needs"] == "build"
    deploy_steps = " ".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in deploy["steps"])
    assert "actions/download-artifact" in deploy_steps and "netlify-cli" in deploy_steps
    assert "deploy --dir site --prod" in deploy_steps
