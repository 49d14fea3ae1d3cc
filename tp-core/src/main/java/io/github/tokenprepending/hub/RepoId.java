package io.github.tokenprepending.hub;

import java.util.regex.Pattern;

/**
 * A Hub model id, {@code name} or {@code org/name}, validated by the rules the Hub enforces.
 *
 * @param value the id as written
 */
record RepoId(String value) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final int MAX_LENGTH = 96;

    RepoId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid model id '" + value + "'");
        }
    }

    /**
     * @return whether the value is {@code name} or {@code org/name}, each part letters, digits, {@code -}, {@code _}
     *     and {@code .} starting and ending with a letter, digit or {@code _}, without {@code --} or {@code ..}, not
     *     ending in {@code .git}, at most 96 characters
     */
    static boolean isValid(String value) {
        if (value == null || value.length() > MAX_LENGTH || value.contains("--") || value.contains("..")
                || value.endsWith(".git")) {
            return false;
        }
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            return false;
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** @return the repository's folder name in the cache, {@code models--org--name} */
    String cacheFolderName() {
        return "models--" + value.replace("/", "--");
    }

    @Override
    public String toString() {
        return value;
    }
}
