"""Shared fixtures: one dataset fanned out to every engine a metric must run on.

``engine`` gives a converter ``engine(pandas_df)`` to pandas, polars eager, polars lazy, a
DuckDB relation, or a table of a store file opened with :func:`zsanalytics.open_store`
(``store``: what ``zsa briefing --db`` computes on), and ``engine.back(result)`` turns the
result back into pandas after checking it is of the type that went in. PySpark needs Java
and a JVM start (~10 s), so its fixture is session-scoped; it skips where pyspark or Java
is missing, except in CI, where it fails.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


class Engine:
    def __init__(self, name: str, to_native, native_type, back):
        self.name, self._to, self.type, self._back = name, to_native, native_type, back

    def __call__(self, frame: pd.DataFrame):
        return self._to(frame)

    def back(self, result) -> pd.DataFrame:
        assert isinstance(result, self.type), f"{self.name} in, {type(result).__name__} out"
        return self._back(result).reset_index(drop=True)

    def __repr__(self) -> str:
        return self.name


ENGINES = {
    "pandas": Engine("pandas", lambda f: f.copy(), pd.DataFrame, lambda r: r),
    "polars": Engine("polars", pl.from_pandas, pl.DataFrame, lambda r: r.to_pandas()),
    "polars_lazy": Engine("polars_lazy", lambda f: pl.from_pandas(f).lazy(), pl.LazyFrame,
                          lambda r: r.collect().to_pandas()),
    "duckdb": Engine("duckdb", duckdb.from_df, duckdb.DuckDBPyRelation, lambda r: r.df()),
    # made per test by the fixture: see _store_engine
    "store": None,
}


@pytest.fixture(scope="session")
def demo():
    """The bundled demo county, loaded once; tests copy before they change anything."""
    from zsanalytics import load_demo

    return load_demo()


@pytest.fixture(params=list(ENGINES), ids=list(ENGINES))
def engine(request, tmp_path_factory):
    if request.param != "store":
        yield ENGINES[request.param]
        return
    store, engine = _store_engine(tmp_path_factory.mktemp("store") / "county.duckdb")
    yield engine
    store.close()


def _store_engine(path: Path) -> tuple:
    """Tables written into a DuckDB file opened with :func:`zsanalytics.open_store`, one
    file per test: a test's tables share the store's connection, as a store's tables do
    (relations of different connections cannot be joined)."""
    from zsanalytics import open_store

    duckdb.connect(str(path)).close()
    store = open_store(path, read_only=False)
    count = iter(range(1_000_000))

    def to_store(frame: pd.DataFrame):
        name = f"t{next(count)}"
        store.con.register("_frame", frame)
        try:
            store.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
        finally:
            store.con.unregister("_frame")
        return store.table(name)

    return store, Engine("store", to_store, duckdb.DuckDBPyRelation, lambda r: r.df())


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason}; CI must run these tests (install the test extra and Java)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def spark_engine():
    try:
        from pyspark.sql import DataFrame as SparkFrame
        from pyspark.sql import SparkSession
    except ImportError:
        _unavailable("pyspark is not installed: python -m pip install -e '.[test]'")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        _unavailable("PySpark needs Java 17+: apt-get install openjdk-17-jre-headless")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spark = (
            SparkSession.builder.master("local[2]")
            .appName("zsanalytics-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            # a session zone other than the machine's (UTC), as a Chinese deployment runs
            .config("spark.sql.session.timeZone", "Asia/Shanghai")
            .getOrCreate()
        )
    spark.sparkContext.setLogLevel("ERROR")

    def to_spark(frame: pd.DataFrame):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return spark.createDataFrame(frame)

    def back(result):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return result.toPandas()

    yield Engine("pyspark", to_spark, SparkFrame, back)
    spark.stop()
