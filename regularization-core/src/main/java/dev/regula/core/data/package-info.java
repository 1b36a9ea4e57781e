/**
 * Data sets in memory and their readers: IDX (Fashion-MNIST), CSV, the diabetes set, splits,
 * standardisation, polynomial features and the shuffled batch order. Contract: readers check
 * sizes and formats before allocating and report a bad file as a
 * {@link dev.regula.api.CorruptDataException} naming it; the batch order is a function of the
 * seed and the epoch.
 */
package dev.regula.core.data;
