/**
 * The command line of Spark training: {@code regula train --spark MASTER ...} (the {@code regula}
 * script hands such a call to {@link dev.regula.spark.cli.SparkTrainCommand} on the class path),
 * and the main class of the spark-submit application jar.
 */
package dev.regula.spark.cli;
