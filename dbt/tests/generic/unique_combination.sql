{#
  The combination of `combination_of_columns` is unique in the model (composite primary key).
  Fails with one row per duplicated combination.
#}
{% test unique_combination(model, combination_of_columns) %}

with key_counts as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as number_of_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
)

select *
from key_counts
where number_of_rows > 1

{% endtest %}
