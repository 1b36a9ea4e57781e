/**
 * Progress bars for Regula's training: {@link dev.regula.progress.ProgressBarCallback}, a core
 * {@link dev.regula.core.train.TrainingCallback} that draws a live bar per epoch on a terminal
 * and prints plain lines elsewhere (logs, CI).
 *
 * <p>Optional: the bars come from {@code me.tongfei.progressbar} (on JLine), a third-party
 * runtime dependency that the API and core modules do not have. Leave this module off the
 * module path and nothing else changes.
 */
module dev.regula.progress {
    requires transitive dev.regula.core;
    requires me.tongfei.progressbar;

    exports dev.regula.progress;
}
