package io.codex32.executor;

import java.util.Collection;
import java.util.Map;

/**
 * Samples CPU and resident memory of many process trees in one pass (OSHI). CPU percent is
 * measured between consecutive samples of the same process. Blocking: call from a worker thread,
 * one sample at a time.
 */
public final class ProcessSampler {

  public ProcessSampler() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Usage of each root pid's tree (root and all descendants); roots that no longer exist are absent. */
  public Map<Long, ProcessUsage> sample(Collection<Long> rootPids) {
    throw new UnsupportedOperationException("TODO");
  }
}
