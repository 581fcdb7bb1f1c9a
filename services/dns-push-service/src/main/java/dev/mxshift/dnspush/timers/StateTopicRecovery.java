package dev.mxshift.dnspush.timers;

import dev.mxshift.service.StateTopicReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** At start, hands every state of the compacted state topic to the wait timers, which set one for each waiting domain. */
public final class StateTopicRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopicRecovery.class);

    private StateTopicRecovery() {
    }

    public static int recover(String bootstrap, String stateTopic, WaitTimers timers, Duration patience) {
        StateTopicReader.forEach(bootstrap, stateTopic, patience, timers::recovered);
        LOG.info("recovered {} wait timers from {}", timers.size(), stateTopic);
        return timers.size();
    }
}
