-- One row per sales channel (kanal) of EXPORT_SPEC.md.
{%- set channels = [
    ('MARKETPLACE', 'Marketplace', 'DARING'),
    ('WEBSITE', 'Situs web', 'DARING'),
    ('MEDIA_SOSIAL', 'Media sosial', 'DARING'),
    ('IKLAN_ONLINE', 'Iklan daring', 'DARING'),
    ('PAMERAN', 'Pameran', 'LURING'),
    ('MALL', 'Mal', 'LURING'),
    ('BANDARA', 'Bandara', 'LURING'),
    ('GALERI', 'Galeri', 'LURING'),
    ('LANGSUNG', 'Penjualan langsung', 'LURING'),
] %}
with channels as (
    {% for kode, label, kategori in channels %}
    select {{ loop.index }} as urutan, '{{ kode }}' as kanal, '{{ label }}' as label, '{{ kategori }}' as kategori
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    kanal,
    label,
    kategori,
    cast(urutan as integer) as urutan
from channels
