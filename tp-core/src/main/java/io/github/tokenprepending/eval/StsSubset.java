package io.github.tokenprepending.eval;

import java.util.List;
import java.util.Objects;

/**
 * The scored pairs of one file (an STS12-16 subset such as {@code MSRpar}, or the test split of STS-B / SICK-R),
 * in file order.
 *
 * @param name the subset's name
 * @param pairs its scored pairs
 */
public record StsSubset(String name, List<StsPair> pairs) {

    /**
     * @throws IllegalArgumentException if there are no pairs
     */
    public StsSubset {
        Objects.requireNonNull(name, "name");
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("subset " + name + " has no pairs");
        }
    }
}
