"""The web editor at ``/admin/``: Sveltia CMS, configured from the engine's schema and registries.

:mod:`.config` turns :mod:`karigar.model.schema` and the registries into
Sveltia's ``config.yml``; :mod:`.files` makes the editor's outputs (its page,
that configuration, the pinned bundle copied from ``node_modules`` and the
photo cleaner) as render jobs with signatures, like every other output;
:mod:`.policy` is its Content-Security-Policy and the ``_headers`` paths that
keep the site's strict one off ``/admin/``.  Where an entry opens in the
editor is :mod:`karigar.render.edit_links`, which the pages' view-models use too.
"""

from karigar.render.admin.config import editor_config, config_yaml
from karigar.render.admin.files import ADMIN_OUTPUTS, admin_jobs, bundle_path, catalog_districts, editor_warning

__all__ = ["editor_config", "config_yaml", "admin_jobs", "bundle_path", "ADMIN_OUTPUTS", "editor_warning",
           "catalog_districts"]
