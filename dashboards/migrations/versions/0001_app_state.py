"""App state: accounts, server-side sessions, login attempts, audit log, rate-limit counters.

Revision ID: 0001_app_state
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_app_state"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "akun",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("nama", sa.String(200)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(40)),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("aktif", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("dibuat", sa.DateTime, nullable=False),
        sa.Column("diubah", sa.DateTime, nullable=False),
        sa.CheckConstraint("role in ('ditjenpas', 'kanwil', 'upt')", name="ck_akun_role"),
    )
    op.create_table(
        "sesi",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("akun_id", sa.Integer, sa.ForeignKey("akun.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dibuat", sa.DateTime, nullable=False),
        sa.Column("kedaluwarsa", sa.DateTime, nullable=False),
        sa.Column("dicabut", sa.DateTime),
        sa.Column("alasan_cabut", sa.String(40)),
        sa.Column("ip", sa.String(64)),
    )
    op.create_index("ix_sesi_akun_id", "sesi", ["akun_id"])
    op.create_table(
        "percobaan_login",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("waktu", sa.DateTime, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("ip", sa.String(64)),
        sa.Column("berhasil", sa.Boolean, nullable=False),
    )
    op.create_index("ix_percobaan_login_username_ip_waktu", "percobaan_login", ["username", "ip", "waktu"])
    op.create_index("ix_percobaan_login_ip_waktu", "percobaan_login", ["ip", "waktu"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("waktu", sa.DateTime, nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("username", sa.String(64)),
        sa.Column("ip", sa.String(64)),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_waktu", "audit", ["waktu"])
    op.create_table(
        "batas_laju",
        sa.Column("kunci", sa.String(255), primary_key=True),
        sa.Column("jumlah", sa.Integer, nullable=False),
        sa.Column("berakhir", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for t in ("batas_laju", "audit", "percobaan_login", "sesi", "akun"):
        op.drop_table(t)
