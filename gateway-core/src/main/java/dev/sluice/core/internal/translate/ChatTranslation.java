package dev.sluice.core.internal.translate;

import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;

/** A chat in one wire format served by a provider speaking another, through the canonical chat model. */
final class ChatTranslation implements ProviderBridge {

    private final ChatCodec caller;
    private final ChatCodec upstream;
    private final String provider;

    ChatTranslation(ChatCodec caller, ChatCodec upstream, String provider) {
        this.caller = caller;
        this.upstream = upstream;
        this.provider = provider;
    }

    @Override
    public Operation operation() {
        return Operation.CHAT_COMPLETIONS;
    }

    @Override
    public byte[] request(RequestBody body, String model, boolean stream) {
        return upstream.encodeRequest(caller.decodeRequest(body).withModel(model));
    }

    @Override
    public byte[] answer(byte[] providerBody) {
        return Unreadable.fromProvider(provider, () -> caller.encodeResponse(upstream.decodeResponse(providerBody)));
    }

    @Override
    public Flux<SseEvent> events(Flux<SseEvent> providerEvents) {
        return Flux.defer(() -> {
            // One decoder and encoder per stream: both keep the state of the answer being relayed.
            ChatCodec.EventDecoder decoder = upstream.streamDecoder();
            ChatCodec.EventEncoder encoder = caller.streamEncoder();
            return providerEvents.concatMapIterable(decoder::decode).concatMapIterable(encoder::encode)
                    .onErrorMap(Unreadable::is, unreadable -> Unreadable.asProviderError(provider, unreadable));
        });
    }

    @Override
    public Throwable error(Throwable providerError) {
        return providerError instanceof UpstreamStatusException status ? status.withoutBody() : providerError;
    }
}
