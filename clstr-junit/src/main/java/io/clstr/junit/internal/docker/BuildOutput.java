package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.clstr.junit.internal.LineTail;
import io.clstr.junit.internal.Progress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an image build prints, as the engine streams it: each whole line goes at once to the live line (through
 * {@link Progress.Work#latest}) and into the tail a failed build shows, and the first error is kept. A line is
 * ended by a newline or a carriage return (a progress bar's redraw); the engine may split one across items.
 * Both leave out the engine's bookkeeping (the {@code  ---> <id>} lines and the removal of each step's
 * container): a step that prints nothing for a while is shown by its own line ({@code Step 3/7 : RUN …}), and the
 * tail holds the steps and what they printed.
 */
final class BuildOutput extends ResultCallback.Adapter<BuildResponseItem> {
    /** The terminal control sequences a step's output may carry (colours, cursor moves). */
    private static final Pattern CONTROL = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]");
    /** Other control characters (a tab, a bell): shown as a space. */
    private static final Pattern CONTROL_CHAR = Pattern.compile("[\\p{Cntrl}&&[^\n\r]]");

    private static final Pattern BOOKKEEPING = Pattern.compile("^ ---> |^Removing intermediate container ");

    private final LineTail tail;
    private final Progress.Work work;
    /** The start of a line whose end has not come yet; guarded by this. */
    private final StringBuilder partial = new StringBuilder();

    private volatile String error;

    BuildOutput(int tailLines, Progress.Work work) {
        this.tail = new LineTail(tailLines);
        this.work = work;
    }

    @Override
    public void onNext(BuildResponseItem item) {
        if (item.getStream() != null) {
            stream(item.getStream());
        } else if (item.getStatus() != null) {
            // pulling a base image: shown while it lasts, not kept in the tail
            work.latest((item.getId() == null ? "" : item.getId() + ": ")
                    + item.getStatus()
                    + (item.getProgress() == null ? "" : " " + item.getProgress()));
        }
        if (item.isErrorIndicated()) {
            failed(
                    item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                            ? item.getErrorDetail().getMessage()
                            : item.getError());
        }
    }

    @Override
    public void onError(Throwable throwable) {
        failed(EngineErrors.message(throwable));
        super.onError(throwable);
    }

    @Override
    public void onComplete() {
        endPartialLine();
        super.onComplete();
    }

    /** Takes a piece of the build's output. */
    synchronized void stream(String text) {
        String clean =
                CONTROL_CHAR.matcher(CONTROL.matcher(text).replaceAll("")).replaceAll(" ");
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '\n' || c == '\r') {
                line(partial.toString());
                partial.setLength(0);
            } else {
                partial.append(c);
            }
        }
    }

    /** Ends the line the output stopped in, if any. */
    synchronized void endPartialLine() {
        line(partial.toString());
        partial.setLength(0);
    }

    private void line(String line) {
        if (!line.isBlank() && !BOOKKEEPING.matcher(line).find()) {
            work.latest(line);
            tail.add(line.stripTrailing());
        }
    }

    /** Records {@code message} as the build's error unless one came first. */
    void failed(String message) {
        if (error == null) {
            error = message == null ? "unknown error" : EngineErrors.message(message);
        }
    }

    /** The build's first error, or null. */
    String error() {
        return error;
    }

    /** The last {@code count} lines of the output (the partial last one too), oldest first. */
    List<String> tail(int count) {
        endPartialLine();
        return tail.tail(count);
    }
}
