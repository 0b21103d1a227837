-- One row per written spelling of a unit of measure (trimmed, lower-case) with its canonical unit.
select lower(trim(satuan_asal)) as satuan_asal, satuan, label from {{ source('ref', 'satuan') }}
