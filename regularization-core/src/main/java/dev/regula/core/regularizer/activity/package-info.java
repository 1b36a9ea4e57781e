/**
 * Activity regularization: penalties on a layer's outputs (Keras' {@code activity_regularizer}
 * and {@code ActivityRegularization} layer), applied by identity layers inserted after the
 * activations they watch.
 */
package dev.regula.core.regularizer.activity;
