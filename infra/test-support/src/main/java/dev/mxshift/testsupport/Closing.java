package dev.mxshift.testsupport;

/** The end of a test class: what it started, closed. */
public final class Closing {

    private Closing() {
    }

    /**
     * Closes what a test started, in the order given, passing over what it never got to start (null). Each is closed
     * even if one before it fails; the first failure is thrown after, with the others suppressed in it.
     */
    public static void closeAll(AutoCloseable... started) throws Exception {
        Exception failed = null;
        for (AutoCloseable resource : started) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
