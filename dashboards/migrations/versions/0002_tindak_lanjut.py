"""Follow-up register (rencana tindak lanjut, RTL) on the findings of the monev cycle.

Revision ID: 0002_tindak_lanjut
Revises: 0001_app_state
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_tindak_lanjut"
down_revision = "0001_app_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tindak_lanjut",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("temuan_id", sa.String(64), nullable=False),
        sa.Column("periode", sa.String(8), nullable=False),
        sa.Column("aturan", sa.String(40), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("kode", sa.String(40), nullable=False),
        sa.Column("kode_kanwil", sa.String(40), nullable=False),
        sa.Column("kode_upt", sa.String(40)),
        sa.Column("uraian_temuan", sa.Text, nullable=False),
        sa.Column("tindakan", sa.Text, nullable=False),
        sa.Column("penanggung_jawab", sa.String(200), nullable=False),
        sa.Column("tenggat", sa.Date, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("dibuka_oleh", sa.String(64), nullable=False),
        sa.Column("dibuka_pada", sa.DateTime, nullable=False),
        sa.Column("jawaban", sa.Text),
        sa.Column("dijawab_oleh", sa.String(64)),
        sa.Column("dijawab_pada", sa.DateTime),
        sa.Column("catatan_tutup", sa.Text),
        sa.Column("ditutup_oleh", sa.String(64)),
        sa.Column("ditutup_pada", sa.DateTime),
    )
    op.create_index("ix_tindak_lanjut_temuan_id", "tindak_lanjut", ["temuan_id"])
    op.create_index("ix_tindak_lanjut_kanwil", "tindak_lanjut", ["kode_kanwil", "status"])
    op.create_index("ix_tindak_lanjut_upt", "tindak_lanjut", ["kode_upt", "status"])


def downgrade() -> None:
    op.drop_table("tindak_lanjut")
