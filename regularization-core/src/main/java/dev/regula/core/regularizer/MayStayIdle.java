package dev.regula.core.regularizer;

/**
 * A regularizer that may leave a run untouched, a penalty whose band no weight leaves
 * ({@code soft-constraint}): it tells whether it acted, so a command can warn that it did not.
 */
public interface MayStayIdle {
    /**
     * @return whether it has changed a gradient or a weight since it was made; a penalty of 0 at
     *     every epoch end does not say it never acted (its λ may be 0 then, or a projection may
     *     have put every weight back inside its band)
     */
    boolean acted();
}
