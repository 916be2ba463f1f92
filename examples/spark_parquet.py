"""Repair a Parquet column with PySpark: a ``pandas_udf`` in local mode.

    python examples/spark_parquet.py

Needs a Java runtime (17 or 21 for PySpark 4) and ``pip install pyspark pyarrow pandas``.
Spark hands the UDF pandas Series, so the pandas recipe applies:
``s.map(cjkfix.repair, na_action="ignore")`` passes nulls through. ``PYSPARK_PYTHON`` is
set to this interpreter so that the workers import the same cjkfix.
"""

from __future__ import annotations

import os
import sys
import tempfile

import pandas as pd

import cjkfix
from _rows import report, rows


def main() -> int:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import pandas_udf
    from pyspark.sql.types import StringType

    @pandas_udf(StringType())
    def repair_text(text: pd.Series) -> pd.Series:
        return text.map(cjkfix.repair, na_action="ignore")

    column = rows()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("cjkfix-example")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rows.parquet")
            pd.DataFrame({"id": range(len(column)), "text": column}).to_parquet(path)
            frame = spark.read.parquet(path).repartition(2)
            repaired = frame.withColumn("text", repair_text("text")).toPandas()
    finally:
        spark.stop()
    got = repaired.sort_values("id")["text"].tolist()
    return report("spark pandas_udf over Parquet (local[2])", column, got)


if __name__ == "__main__":
    sys.exit(main())
