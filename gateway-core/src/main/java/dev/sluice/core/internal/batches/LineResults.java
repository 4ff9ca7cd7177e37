package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.LineResult;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.files.JsonLines;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.usage.TokenCounts;

/** The results a batch line can end with, each as the line of the output or error file it becomes. */
final class LineResults {

    private LineResults() {
    }

    /** The provider answered: the line goes to the output file with the answer, its model and its usage. */
    static LineResult answered(int number, String customId, byte[] body) {
        return new LineResult(number, customId, false, OutputLines.answered(customId, 200, body), OutputLines.modelOf(body),
                OpenAiFormat.OPENAI.usage(body));
    }

    /** The call failed: with the provider's (or the gateway's) error as its response, or unanswered when none came. */
    static LineResult failed(int number, String customId, Throwable error) {
        if (error instanceof UpstreamUnavailableException || error instanceof UpstreamTimeoutException) {
            GatewayException failure = (GatewayException) error;
            return unanswered(number, customId, failure.code(), failure.getMessage());
        }
        if (error instanceof GatewayException failure) {
            return new LineResult(number, customId, true, OutputLines.answered(customId, failure.status(), OpenAiFormat.OPENAI.errorBody(failure)),
                    null, TokenCounts.NONE);
        }
        return unanswered(number, customId, "internal_error", "The gateway failed to run this line.");
    }

    static LineResult unanswered(int number, String customId, String code, String message) {
        return new LineResult(number, customId, true, OutputLines.unanswered(customId, code, message), null, TokenCounts.NONE);
    }

    /** The window passed before the line ran. */
    static LineResult expired(JsonLines.Line line) {
        String customId = BatchLine.read(line.number(), line.bytes()) instanceof BatchLine readable ? readable.customId() : "?";
        return unanswered(line.number(), customId, "batch_expired", "This line was not finished within the batch's completion window.");
    }

    /**
     * What is recorded instead of a result the store refused for good: the line ends, in the error file, rather than
     * being sent upstream again and refused again.
     */
    static LineResult notStored(LineResult refused) {
        return unanswered(refused.line(), refused.customId(), "result_not_stored",
                "The line ran, but the gateway could not store its result.");
    }
}
