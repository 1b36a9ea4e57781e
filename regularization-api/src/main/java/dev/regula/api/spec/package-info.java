/**
 * Spec text, the one syntax of regularizers, optimizers and models: {@code name(key=value, ...)}.
 * Contract: parsing is strict (unknown names, unknown keys, values out of range are a
 * {@link dev.regula.api.spec.SpecException} naming the provider, the key, the allowed range and
 * the known names), and a parsed spec prints back as text that parses to the same spec.
 */
package dev.regula.api.spec;
