package dev.sluice.core.format.chat;

/** One event of a streamed chat answer; {@code index} numbers the content parts of the answer from 0. */
public sealed interface ChatEvent {

    /** The answer begins. */
    record Started(String id, String model) implements ChatEvent {
    }

    /** More text for the text part at {@code index}. */
    record TextDelta(int index, String text) implements ChatEvent {
    }

    /** The part at {@code index} is a tool call with this id and name. */
    record ToolCallStarted(int index, String id, String name) implements ChatEvent {
    }

    /** More of the arguments JSON of the tool call at {@code index}; fragments concatenate to the whole. */
    record ToolCallArguments(int index, String jsonFragment) implements ChatEvent {
    }

    /** The answer ends, for this reason, having used this much. */
    record Finished(StopReason reason, Usage usage) implements ChatEvent {
    }
}
