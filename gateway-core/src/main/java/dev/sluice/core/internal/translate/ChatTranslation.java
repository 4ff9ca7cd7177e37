package dev.sluice.core.internal.translate;

import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.request.Operation;
import dev.sluice.core.request.RequestBody;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

/** A chat in one wire format served by a provider speaking another, through the canonical chat model. */
final class ChatTranslation implements ProviderBridge {

    private final ChatCodec caller;
    private final ChatCodec provider;

    ChatTranslation(ChatCodec caller, ChatCodec provider) {
        this.caller = caller;
        this.provider = provider;
    }

    @Override
    public Operation operation() {
        return Operation.CHAT_COMPLETIONS;
    }

    @Override
    public byte[] request(RequestBody body, String model, boolean askUsage) {
        return provider.encodeRequest(caller.decodeRequest(body).withModel(model));
    }

    @Override
    public byte[] answer(byte[] providerBody) {
        return caller.encodeResponse(provider.decodeResponse(providerBody));
    }

    @Override
    public Flux<SseEvent> events(Flux<SseEvent> providerEvents) {
        return Flux.defer(() -> {
            // One decoder and encoder per stream: both keep the state of the answer being relayed.
            ChatCodec.EventDecoder decoder = provider.streamDecoder();
            ChatCodec.EventEncoder encoder = caller.streamEncoder();
            return providerEvents.concatMapIterable(decoder::decode).concatMapIterable(encoder::encode);
        });
    }

    @Override
    public Throwable error(Throwable providerError) {
        return providerError instanceof UpstreamStatusException upstream ? upstream.withoutBody() : providerError;
    }
}
