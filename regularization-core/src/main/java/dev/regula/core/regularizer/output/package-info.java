/**
 * Output regularization: penalties on the model's output distribution, added to the data loss
 * between the loss and backward (the confidence penalty).
 */
package dev.regula.core.regularizer.output;
