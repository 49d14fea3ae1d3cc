/**
 * Model resolution: from a model id or directory to a local directory in Hugging Face layout, through the cache
 * shared with huggingface_hub and, when needed, downloads from the Hugging Face Hub. Engine-neutral; start with
 * {@link io.github.tokenprepending.hub.ModelResolver}.
 */
package io.github.tokenprepending.hub;
