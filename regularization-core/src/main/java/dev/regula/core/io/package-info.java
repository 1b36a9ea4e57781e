/** Atomic writes of output files (the previous file or the complete new one, never a torn one) and their JSON text. */
package dev.regula.core.io;
