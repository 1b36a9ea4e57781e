/**
 * Synchronous data-parallel training of Regula models on Apache Spark: {@link dev.regula.spark.SparkTrainer}
 * (the entry point), its configuration {@link dev.regula.spark.SparkTrainingConfig}, the serialisable
 * sources the workers build their copies from ({@link dev.regula.spark.ModelSource},
 * {@link dev.regula.spark.RegularizerSource}), checkpoints ({@link dev.regula.spark.SparkCheckpoints})
 * and a fail-fast way to start a context ({@link dev.regula.spark.SparkMasters}). Class path only:
 * Spark's jars are not JPMS modules. See docs/spark.md.
 */
package dev.regula.spark;
