package io.github.tokenprepending.hub;

import java.net.http.HttpHeaders;
import java.util.Optional;

/** Turns the Hub's error answers (status and {@code X-Error-Code}) into messages that say what to do. */
final class HubErrors {

    private HubErrors() { }

    static HubException forStatus(int status, HttpHeaders headers, RequestTarget target, String endpoint,
            Optional<HubToken> token) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String model = "model '" + target.repo() + "'";
        String license = "accept its license on the Hub (" + endpoint + "/" + target.repo() + ")";
        String tokenSource = token.map(t -> "the token from " + t.source()).orElse("");
        switch (code) {
            case "GatedRepo":
                return new HubException(HubException.Kind.ACCESS_DENIED, token.isEmpty()
                        ? model + " is gated: " + license + " and set HF_TOKEN"
                        : model + " is gated and " + tokenSource + " has no access to it: " + license
                                + " with that token's account");
            case "RevisionNotFound":
                return new HubException(HubException.Kind.NOT_FOUND, model + " on " + endpoint + " has no revision '"
                        + target.revision() + "'");
            case "EntryNotFound":
                return new HubException(HubException.Kind.NOT_FOUND, model + " has no file '" + target.file()
                        + "' at revision " + target.revision());
            case "RepoNotFound":
                return notFound(model, endpoint, tokenSource);
            default:
                break;
        }
        switch (status) {
            case 404:
                return notFound(model, endpoint, tokenSource);
            case 401:
                return token.isEmpty() ? needsToken(model, endpoint, license)
                        : new HubException(HubException.Kind.INVALID_TOKEN, "the Hub (" + endpoint + ") rejected "
                                + tokenSource + " (HTTP 401): check that it is valid and not revoked");
            case 403:
                return token.isEmpty() ? needsToken(model, endpoint, license)
                        : new HubException(HubException.Kind.ACCESS_DENIED, tokenSource + " has no access to " + model
                                + ": " + license + " with that token's account, or use a token with read access");
            default:
                String message = headers.firstValue("X-Error-Message").map(m -> ": " + m).orElse("");
                String detail = token.map(t -> t.redact(message)).orElse(message);
                return new HubException(HubException.Kind.NETWORK, "unexpected HTTP " + status + " from " + endpoint
                        + " for " + target.describe() + detail);
        }
    }

    private static HubException notFound(String model, String endpoint, String tokenSource) {
        return new HubException(HubException.Kind.NOT_FOUND, "no " + model + " on " + endpoint
                + (tokenSource.isEmpty() ? " (or it is private: set HF_TOKEN)" : " (or " + tokenSource
                        + " cannot access it)"));
    }

    private static HubException needsToken(String model, String endpoint, String license) {
        return new HubException(HubException.Kind.ACCESS_DENIED, model + " on " + endpoint + " needs a token: it is"
                + " gated or private (or does not exist). If it is gated, " + license + " and set HF_TOKEN");
    }
}
