package dev.mxshift.model.serde;

import java.util.List;

/** Every upcaster of this build, oldest first. Schema version 1 is the first, so there are none yet. */
final class Upcasters {

    static final List<Upcaster> ALL = List.of();

    private Upcasters() {
    }
}
