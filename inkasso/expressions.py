"""Query expressions that keep a large handover's SQL cheap to build."""

from django.db.models import Expression, Field


class KeyList(Expression):
    """The right-hand side of ``pk__in=``: a list of keys, prepared in one pass.

    ``filter(pk__in=[...])`` sends each value through about thirty calls of
    lookup and field preparation; for a chunk of 2,000 keys that is 4 ms per
    query, a tenth of a 100,000-order handover on SQLite. Here each key is
    prepared once by ``field.get_db_prep_value``, which is what the database
    receives either way (integers, or UUIDs as the backend stores them).
    """

    def __init__(self, keys, field: Field):
        super().__init__(output_field=field)
        self.keys = list(keys)

    def as_sql(self, compiler, connection):
        prepare = self.output_field.get_db_prep_value
        params = [prepare(key, connection) for key in self.keys]
        # An empty list matches nothing, as an empty ``__in`` does.
        return ", ".join(["%s"] * len(params)) or "NULL", params
