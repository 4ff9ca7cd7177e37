package dev.sluice.core.format.chat;

/** Why the model stopped generating. */
public enum StopReason {
    END_TURN, MAX_TOKENS, STOP_SEQUENCE, TOOL_USE, CONTENT_FILTER
}
