/** Writing batches of generated images as PNG grids ({@link dev.regula.gan.image.ImageGrid}). */
package dev.regula.gan.image;
