/**
 * Coefficients as functions of (step, epoch): constants, steps, cosine, linear warm-up and the
 * like, parsed from spec text. Contract: a schedule is a pure function of its arguments, so a
 * resumed run sees the values an uninterrupted run would.
 */
package dev.regula.api.schedule;
