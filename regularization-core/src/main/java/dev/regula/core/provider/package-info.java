/**
 * The base class of core's providers: a name, a description and a spec schema checked before
 * {@code create} runs. Contract: a provider is stateless, so one instance serves every lookup.
 */
package dev.regula.core.provider;
