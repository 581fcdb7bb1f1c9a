package dev.mxshift.model.serde;

import java.util.List;

/** Every upcaster of this build, oldest first. */
final class Upcasters {

    static final List<Upcaster> ALL = List.of(new UpcasterV1ToV2(), new UpcasterV2ToV3(), new UpcasterV3ToV4(), new UpcasterV4ToV5(),
            new UpcasterV5ToV6());

    private Upcasters() {
    }
}
