package dev.mxshift.discovery.inventory;

/** Why a row (or the whole file, at line 0) was not accepted: where, which field, and what to do. */
public record InventoryProblem(String file, long line, String field, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + field + ": " + reason;
    }
}
