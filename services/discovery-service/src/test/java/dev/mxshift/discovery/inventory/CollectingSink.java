package dev.mxshift.discovery.inventory;

import java.util.ArrayList;
import java.util.List;

/** Keeps what the reader said, for assertions. */
final class CollectingSink implements InventoryReader.Sink {
    final List<InventoryRow> accepted = new ArrayList<>();
    final List<InventoryProblem> rejected = new ArrayList<>();

    @Override
    public void accepted(InventoryRow row) {
        accepted.add(row);
    }

    @Override
    public void rejected(InventoryProblem problem) {
        rejected.add(problem);
    }
}
