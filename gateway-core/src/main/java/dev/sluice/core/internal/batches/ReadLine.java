package dev.sluice.core.internal.batches;

/** What reading one line of a batch input file gives: the request line, or why it cannot be read at all. */
public sealed interface ReadLine permits BatchLine, ReadLine.Unreadable {

    /** @param reason what is wrong, to follow "Line n " in a message: "is not valid JSON" */
    record Unreadable(String reason) implements ReadLine {
    }
}
