"""The one resource every asset takes: where the landing folder and warehouses are.

Empty fields fall back, at run time, to the environment (MONEV_LANDING, MONEV_WAREHOUSE,
MONEV_UPT_MASTER) and then to the defaults of dagster_project.config, so the same definitions
serve `monev load`, the nightly schedule and the sensor, and a test can hand in temp paths.
"""


from pathlib import Path

import dagster as dg

from .. import config


class MonevPaths(dg.ConfigurableResource):
    landing: str = ""
    warehouse: str = ""
    upt_master: str = ""

    def landing_dir(self) -> Path:
        return config.landing_dir(self.landing or None)

    def warehouse_paths(self) -> config.WarehousePaths:
        return config.warehouse_paths(self.warehouse or None)

    def upt_master_file(self) -> Path:
        return config.upt_master_path(self.upt_master or None)
