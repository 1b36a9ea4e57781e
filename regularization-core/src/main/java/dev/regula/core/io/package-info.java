/** Atomic writes of output files: the previous file or the complete new one, never a torn one. */
package dev.regula.core.io;
