package dev.sluice.core.translate;

import dev.sluice.core.request.RequestBody;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.translate.chat.ChatRequest;
import dev.sluice.core.translate.gemini.GeminiChatCodec;
import dev.sluice.core.translate.openai.OpenAiChatCodec;
import reactor.core.publisher.Flux;

import java.time.Clock;

/**
 * OpenAI chat completions to Gemini's {@code generateContent} and back, streams included. The Gemini body names no
 * model and says nothing of streaming: the provider adapter puts both in the URL.
 */
final class OpenAiToGeminiChat implements ProviderBridge {

    private final OpenAiChatCodec openai;
    private final GeminiChatCodec gemini = new GeminiChatCodec();

    OpenAiToGeminiChat(Clock clock) {
        this.openai = new OpenAiChatCodec(clock);
    }

    @Override
    public byte[] request(RequestBody body, String model, boolean askUsage) {
        ChatRequest asked = openai.decodeRequest(body.bytes());
        return gemini.encodeRequest(new ChatRequest(model, asked.system(), asked.messages(), asked.tools(), asked.toolChoice(),
                asked.maxTokens(), asked.temperature(), asked.topP(), asked.stop(), asked.stream()));
    }

    @Override
    public byte[] answer(byte[] providerBody) {
        return openai.encodeResponse(gemini.decodeResponse(providerBody));
    }

    @Override
    public Flux<SseEvent> events(Flux<SseEvent> providerEvents) {
        return Flux.defer(() -> {
            // One decoder and encoder per stream: both keep the state of the answer being relayed.
            GeminiChatCodec.StreamDecoder decoder = gemini.streamDecoder();
            // The usage chunk is always produced: accounting reads it, and it is hidden from callers who did not ask.
            OpenAiChatCodec.StreamEncoder encoder = openai.streamEncoder(true);
            return providerEvents
                    .concatMapIterable(decoder::decode)
                    .concatMapIterable(encoder::encode)
                    .map(SseEvent::data);
        });
    }
}
