"""Running core functions over partitions of big inputs (Dask)."""
