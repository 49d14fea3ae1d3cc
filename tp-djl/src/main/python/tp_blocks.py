"""Decoder blocks of token-prepending-java, written in plain PyTorch and exported to TorchScript.

Weights are NOT baked in: every block takes the hidden states, the attention inputs and its layer's weight
tensors as arguments, so one exported file serves every checkpoint of a family. The Java side
(tp-djl) loads the exported files with DJL and calls them once per batch (Prepare, Pool) and once per
decoder layer (LlamaLayer, Qwen3Layer, Gemma2Layer).

Shapes: B batch rows, T columns (left-padded), S = P + T key columns (P cached prefix tokens), H hidden size,
d head dim, nh query heads, nkv key/value heads.

Numerics follow HuggingFace transformers 4.46 (the version the official Token Prepending code runs on):
RMSNorm in float32, rotary embeddings in the rotate_half layout, softmax in float32, additive masks that use
finfo(float32).min rather than -inf. Attention scores are accumulated in float32 for every compute dtype.

Weights may be stored in another dtype than the one the layers compute in (float16 or bfloat16 matrices under
float32 compute, to halve resident memory): each matrix is converted to the activations' dtype right before its
product, so products accumulate in the compute dtype. The conversion goes into `scratch`, a flat buffer in the
compute dtype that the caller allocates once per pass (as large as the largest such matrix; empty where nothing is
converted, or to convert into new tensors). Norm weights and biases always arrive in the compute dtype.

int8 weights: Quantize turns a layer's matrices (qkv, o, gate_up, down) into symmetric per-output-channel int8,
prepacked once for FBGEMM (x86) or QNNPACK (ARM); a layer block then gets them as `packed` and multiplies with
quantized::linear_dynamic (activations quantized per product, int8 x int8 products accumulated in int32, float32
out). Its matrix slots then hold the matrices' shapes only (meta tensors, no storage). Float32 compute only.
"""
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

PackedLinear = torch.classes.quantized.LinearPackedParamsBase
"""A matrix in int8, prepacked for libtorch's quantized kernels (quantized::linear_prepack)."""

# Enum codes shared with Java. export_blocks.py writes them into manifest.json, checks that the functions below
# (which must use the literals: TorchScript cannot read module-level constants) agree with them, and Java looks
# its codes up there by name.
CODES = {
    "dtype": {"float32": 0, "float16": 1, "bfloat16": 2},
    "activation": {"silu": 0, "gelu_tanh": 1, "gelu": 2},
    "norm": {"none": 0, "rms": 1, "rms_unit_offset": 2},
    "rope_type": {"default": 0, "linear": 1, "llama3": 2},
}


def _dtype(code: int) -> torch.dtype:
    if code == 2:
        return torch.bfloat16
    if code == 1:
        return torch.float16
    return torch.float32


def _activation(x: Tensor, act: int) -> Tensor:
    if act == 1:
        return F.gelu(x, approximate="tanh")
    if act == 2:
        return F.gelu(x)
    return F.silu(x)


def _rms_norm(x: Tensor, weight: Tensor, eps: float) -> Tensor:
    # LlamaRMSNorm / Qwen2RMSNorm: normalise in float32, cast back, then scale in the model dtype.
    xf = x.to(torch.float32)
    xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    return weight * xf.to(x.dtype)


def _rms_norm_unit_offset(x: Tensor, weight: Tensor, eps: float) -> Tensor:
    # Gemma2RMSNorm: normalise and scale by (1 + w) in float32, then cast back.
    xf = x.to(torch.float32)
    xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    return (xf * (1.0 + weight.to(torch.float32))).to(x.dtype)


def _rotate_half(x: Tensor) -> Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def _product(x: Tensor, weight: Tensor, packed: List[PackedLinear], slot: int, reduce_range: bool,
             scratch: Tensor) -> Tensor:
    # x @ weight.T: with int8 weights (packed non-empty) through the prepacked matrix packed[slot], else in the
    # compute dtype. A matrix stored in another dtype is converted first: into scratch (a flat buffer in the compute
    # dtype that the pass reuses for every product) when it is large enough, else into a new tensor. On CPU a new
    # tensor the size of a 7B model's matrix is fresh memory from the OS every time, and its page faults cost many
    # times the conversion itself.
    if len(packed) > 0:
        return torch.ops.quantized.linear_dynamic(x, packed[slot], reduce_range)
    if weight.dtype == x.dtype:
        return F.linear(x, weight)
    if scratch.dtype == x.dtype and scratch.numel() >= weight.numel():
        converted = scratch[:weight.numel()].view(weight.shape)
        converted.copy_(weight)
        return F.linear(x, converted)
    return F.linear(x, weight.to(x.dtype))


def _linear(x: Tensor, weight: Tensor, bias: Tensor, packed: List[PackedLinear], slot: int,
            reduce_range: bool, scratch: Tensor) -> Tensor:
    y = _product(x, weight, packed, slot, reduce_range, scratch)
    if bias.numel() == 0:
        return y
    return y + bias


def _prepend(h: Tensor, pst_cols: Tensor, replace: bool) -> Tensor:
    """The Token Prepending step, out of place: row b's <PST> column becomes a copy of its last column.

    A row without a placeholder carries -1, which indexes its last column: the copy is then a no-op.
    """
    if not replace:
        return h
    rows = torch.arange(h.shape[0], device=h.device)
    return torch.index_put(h, (rows, pst_cols), h[:, -1, :])


def _attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor, scale: float, softcap: float) -> Tensor:
    # q [B, nh, Tq, d]; k, v [B, nkv, S, d]; mask [B, 1, Tq, S] float32 additive
    n_rep = q.shape[1] // k.shape[1]
    if n_rep > 1:
        k = k.repeat_interleave(n_rep, dim=1)
        v = v.repeat_interleave(n_rep, dim=1)
    scores = torch.matmul(q, k.transpose(2, 3)).to(torch.float32) * scale
    if softcap > 0.0:
        scores = torch.tanh(scores / softcap) * softcap
    probs = torch.softmax(scores + mask, dim=-1).to(v.dtype)
    return torch.matmul(probs, v)


def _self_attention(x: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, past_k: Tensor, past_v: Tensor,
                    prefix_len: int, w_qkv: Tensor, w_o: Tensor, b_qkv: Tensor, b_o: Tensor, scale: float,
                    softcap: float, last_only: bool, q_norm: Tensor, k_norm: Tensor,
                    eps: float, packed: List[PackedLinear], reduce_range: bool,
                    scratch: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    # w_qkv [(nh + 2 nkv) d, H] stacks the q, k and v projections (one matrix product instead of three);
    # w_o [H, nh d] tells nh. q_norm, k_norm [d]: per-head RMSNorm of queries and keys before RoPE (Qwen3), or
    # empty for none. packed: int8 [qkv, o, ...] or empty.
    b = x.shape[0]
    t = x.shape[1]
    d = cos.shape[-1]
    nh = w_o.shape[1] // d
    nkv = (w_qkv.shape[0] // d - nh) // 2
    q_rows = nh * d
    c = cos.unsqueeze(1)
    s = sin.unsqueeze(1)
    if last_only and len(packed) == 0:
        # every column's keys and values, the query of the last column only
        kv = _linear(x, w_qkv[q_rows:], b_qkv[q_rows:] if b_qkv.numel() > 0 else b_qkv, packed, 0, reduce_range,
                     scratch)
        q = _linear(x[:, -1:, :], w_qkv[:q_rows], b_qkv[:q_rows] if b_qkv.numel() > 0 else b_qkv, packed, 0,
                    reduce_range, scratch)
        qc = c[:, :, -1:, :]
        qs = s[:, :, -1:, :]
        mask = mask[:, :, -1:, :]
    else:
        # (a packed matrix cannot be split by rows: with int8 weights the last column's query is cut afterwards)
        qkv = _linear(x, w_qkv, b_qkv, packed, 0, reduce_range, scratch)
        q = qkv[:, :, :q_rows]
        kv = qkv[:, :, q_rows:]
        qc = c
        qs = s
        if last_only:
            q = q[:, -1:, :]
            qc = c[:, :, -1:, :]
            qs = s[:, :, -1:, :]
            mask = mask[:, :, -1:, :]
    tq = q.shape[1]
    q = q.reshape(b, tq, nh, d).transpose(1, 2)
    k = kv[:, :, :nkv * d].reshape(b, t, nkv, d).transpose(1, 2)
    v = kv[:, :, nkv * d:].reshape(b, t, nkv, d).transpose(1, 2)
    if q_norm.numel() > 0:
        q = _rms_norm(q, q_norm, eps)
        k = _rms_norm(k, k_norm, eps)
    q = q * qc + _rotate_half(q) * qs
    k = k * c + _rotate_half(k) * s
    keys = k
    values = v
    if prefix_len > 0:
        keys = torch.cat((past_k[:, :, :prefix_len, :].expand(b, -1, -1, -1), k), dim=2)
        values = torch.cat((past_v[:, :, :prefix_len, :].expand(b, -1, -1, -1), v), dim=2)
    out = _attention(q, keys, values, mask, scale, softcap)
    out = out.transpose(1, 2).reshape(b, tq, nh * d)
    return _linear(out, w_o, b_o, packed, 1, reduce_range, scratch), k, v


def _glu_mlp(x: Tensor, w_gate_up: Tensor, w_down: Tensor, act: int, packed: List[PackedLinear],
             reduce_range: bool, scratch: Tensor) -> Tensor:
    # w_gate_up [2 I, H] stacks the gate and up projections; packed: int8 [qkv, o, gate_up, down] or empty
    gate_up = _product(x, w_gate_up, packed, 2, reduce_range, scratch)
    i = w_gate_up.shape[0] // 2
    return _product(_activation(gate_up[..., :i], act) * gate_up[..., i:], w_down, packed, 3, reduce_range,
                    scratch)


def _llama_like_layer(h: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, past_k: Tensor, past_v: Tensor,
                      prefix_len: int, eps: float, pst_cols: Tensor, replace: bool, last_only: bool, act: int,
                      input_layernorm: Tensor, qkv: Tensor, o: Tensor, post_attention_layernorm: Tensor,
                      gate_up: Tensor, down: Tensor, qkv_bias: Tensor, o_bias: Tensor, q_norm: Tensor,
                      k_norm: Tensor, packed: List[PackedLinear], reduce_range: bool,
                      scratch: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    """The Llama layer (pre-RMSNorm attention and GLU MLP), shared by Llama/Qwen2 and Qwen3; q_norm and k_norm are
    empty except for Qwen3's per-head query and key norms."""
    h = _prepend(h, pst_cols, replace)
    d = cos.shape[-1]
    x = _rms_norm(h, input_layernorm, eps)
    attn, k, v = _self_attention(x, cos, sin, mask, past_k, past_v, prefix_len, qkv, o, qkv_bias, o_bias,
                                 d ** -0.5, 0.0, last_only, q_norm, k_norm, eps, packed, reduce_range, scratch)
    if last_only:
        h = h[:, -1:, :]
    h = h + attn
    h = h + _glu_mlp(_rms_norm(h, post_attention_layernorm, eps), gate_up, down, act, packed, reduce_range,
                     scratch)
    return h, k, v


class Prepare(torch.nn.Module):
    """Embeds a batch and builds what every layer of the pass shares: rotary cos/sin and attention masks.

    Returns (hidden [B,T,H] in the compute dtype, cos, sin [B,T,d], global mask, sliding-window mask
    [B,1,T,S] float32). The <PST> input vector goes to the columns in pst_cols (-1: none) unless it is empty,
    in which case the checkpoint's own row is used. Gemma2 multiplies by sqrt(H) rounded to the compute dtype.
    pst_vector (possibly empty) is in the compute dtype; the embedding matrix may be stored in another one.
    """

    def forward(self, ids: Tensor, embed_weight: Tensor, pst_cols: Tensor, pst_vector: Tensor,
                positions: Tensor, key_positions: Tensor, key_valid: Tensor, cos_table: Tensor,
                sin_table: Tensor, embed_scale: float, window: int) -> Tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
        b = ids.shape[0]
        rows = torch.arange(b, device=ids.device)
        has_pst = pst_cols >= 0
        lookup = ids
        if pst_vector.numel() > 0:
            lookup = torch.index_put(ids, (rows[has_pst], pst_cols[has_pst]),
                                     torch.zeros(1, dtype=ids.dtype, device=ids.device))
        h = F.embedding(lookup, embed_weight).to(pst_vector.dtype)
        if pst_vector.numel() > 0:
            h = torch.index_put(h, (rows[has_pst], pst_cols[has_pst]), pst_vector.to(h.dtype))
        if embed_scale != 1.0:
            h = h * torch.tensor(embed_scale, dtype=h.dtype, device=h.device)
        cos = cos_table[positions].to(h.dtype)
        sin = sin_table[positions].to(h.dtype)
        q_pos = positions.unsqueeze(2)
        k_pos = key_positions.unsqueeze(1)
        allowed = (k_pos <= q_pos) & (key_valid.unsqueeze(1) != 0)
        # torch.finfo(torch.float32).min, the masked-score value of HF (TorchScript has no finfo)
        minimum = -3.4028234663852886e38
        zero = torch.zeros(1, dtype=torch.float32, device=h.device)
        low = torch.full((1,), minimum, dtype=torch.float32, device=h.device)
        mask = torch.where(allowed, zero, low).unsqueeze(1)
        if window > 0:
            windowed = allowed & (k_pos > q_pos - window)
            window_mask = torch.where(windowed, zero, low).unsqueeze(1)
        else:
            window_mask = mask
        return h, cos, sin, mask, window_mask


class Rope(torch.nn.Module):
    """inv_freq and cos/sin tables in float32, as HF's rotary embedding computes them.

    rope_type: CODES["rope_type"] (default, linear = inv_freq / factor, llama3 = wavelength-dependent scaling).
    """

    def forward(self, head_dim: int, base: float, rope_type: int, factor: float, low_freq_factor: float,
                high_freq_factor: float, original_max: int, positions: int) -> Tuple[Tensor, Tensor, Tensor]:
        exponents = torch.arange(0, head_dim, 2, dtype=torch.int64).to(torch.float32) / head_dim
        inv_freq = 1.0 / torch.pow(torch.tensor(base, dtype=torch.float32), exponents)
        if rope_type == 1:
            inv_freq = inv_freq / factor
        elif rope_type == 2:
            low_wavelen = original_max / low_freq_factor
            high_wavelen = original_max / high_freq_factor
            wavelen = 2 * 3.141592653589793 / inv_freq
            scaled = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
            smooth = (original_max / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
            smoothed = (1 - smooth) * scaled / factor + smooth * scaled
            medium = (wavelen >= high_wavelen) & (wavelen <= low_wavelen)
            inv_freq = torch.where(medium, smoothed, scaled)
        pos = torch.arange(positions, dtype=torch.int64).to(torch.float32)
        freqs = torch.matmul(inv_freq[:, None], pos[None, :]).transpose(0, 1)
        emb = torch.cat((freqs, freqs), dim=-1)
        return inv_freq, emb.cos(), emb.sin()


class LlamaLayer(torch.nn.Module):
    """One Llama / Mistral / Qwen2 decoder layer (pre-norm attention and SwiGLU MLP).

    qkv stacks the q, k and v projections, gate_up the gate and up projections; qkv_bias and o_bias are empty
    tensors where the checkpoint has none. Returns (hidden, new keys, new values); with last_only the hidden
    states of the last column only ([B,1,H]) - all a pass needs after its final layer.
    """

    def forward(self, h: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, past_k: Tensor, past_v: Tensor,
                prefix_len: int, eps: float, pst_cols: Tensor, replace: bool, last_only: bool, act: int,
                input_layernorm: Tensor, qkv: Tensor, o: Tensor, post_attention_layernorm: Tensor,
                gate_up: Tensor, down: Tensor, qkv_bias: Tensor, o_bias: Tensor, packed: List[PackedLinear],
                reduce_range: bool, scratch: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        none = input_layernorm[:0]
        return _llama_like_layer(h, cos, sin, mask, past_k, past_v, prefix_len, eps, pst_cols, replace, last_only,
                                 act, input_layernorm, qkv, o, post_attention_layernorm, gate_up, down, qkv_bias,
                                 o_bias, none, none, packed, reduce_range, scratch)


class Qwen3Layer(torch.nn.Module):
    """One Qwen3 (dense) decoder layer: the Llama layer plus per-head RMSNorm of queries (q_norm) and keys
    (k_norm), [head_dim] each, before RoPE; head_dim comes from the weights, not hidden/heads. qkv_bias and
    o_bias are empty unless the config sets attention_bias.
    """

    def forward(self, h: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, past_k: Tensor, past_v: Tensor,
                prefix_len: int, eps: float, pst_cols: Tensor, replace: bool, last_only: bool, act: int,
                input_layernorm: Tensor, qkv: Tensor, o: Tensor, post_attention_layernorm: Tensor,
                gate_up: Tensor, down: Tensor, qkv_bias: Tensor, o_bias: Tensor, q_norm: Tensor,
                k_norm: Tensor, packed: List[PackedLinear], reduce_range: bool,
                scratch: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        return _llama_like_layer(h, cos, sin, mask, past_k, past_v, prefix_len, eps, pst_cols, replace, last_only,
                                 act, input_layernorm, qkv, o, post_attention_layernorm, gate_up, down, qkv_bias,
                                 o_bias, q_norm, k_norm, packed, reduce_range, scratch)


class Gemma2Layer(torch.nn.Module):
    """One Gemma2 decoder layer: (1 + w) RMSNorms around attention and MLP, query_pre_attn_scalar scaling
    (scale), attention-logit soft-capping (softcap 0 = none), GeGLU MLP. The caller passes the sliding-window mask
    on sliding layers.
    """

    def forward(self, h: Tensor, cos: Tensor, sin: Tensor, mask: Tensor, past_k: Tensor, past_v: Tensor,
                prefix_len: int, eps: float, pst_cols: Tensor, replace: bool, last_only: bool, act: int,
                input_layernorm: Tensor, qkv: Tensor, o: Tensor, post_attention_layernorm: Tensor,
                pre_feedforward_layernorm: Tensor, post_feedforward_layernorm: Tensor, gate_up: Tensor,
                down: Tensor, scale: float, softcap: float, packed: List[PackedLinear],
                reduce_range: bool, scratch: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        h = _prepend(h, pst_cols, replace)
        none = input_layernorm[:0]
        x = _rms_norm_unit_offset(h, input_layernorm, eps)
        attn, k, v = _self_attention(x, cos, sin, mask, past_k, past_v, prefix_len, qkv, o, none, none, scale,
                                     softcap, last_only, none, none, eps, packed, reduce_range, scratch)
        if last_only:
            h = h[:, -1:, :]
        h = h + _rms_norm_unit_offset(attn, post_attention_layernorm, eps)
        mlp = _glu_mlp(_rms_norm_unit_offset(h, pre_feedforward_layernorm, eps), gate_up, down, act, packed,
                       reduce_range, scratch)
        h = h + _rms_norm_unit_offset(mlp, post_feedforward_layernorm, eps)
        return h, k, v


class Pool(torch.nn.Module):
    """Gathers one column per row ([B,H]) and returns it as float32, through the final norm if asked.

    norm: CODES["norm"] (none, RMSNorm of Llama / Qwen2 / Qwen3, RMSNorm with (1 + w) of Gemma2).
    """

    def forward(self, h: Tensor, cols: Tensor, norm_weight: Tensor, eps: float, norm: int) -> Tensor:
        rows = torch.arange(h.shape[0], device=h.device)
        x = h[rows, cols]
        if norm == 1:
            x = _rms_norm(x, norm_weight, eps)
        elif norm == 2:
            x = _rms_norm_unit_offset(x, norm_weight, eps)
        return x.to(torch.float32)


class Cast(torch.nn.Module):
    """Converts a tensor to a compute dtype (bfloat16 tensors exist only inside TorchScript)."""

    def forward(self, x: Tensor, dtype: int) -> Tensor:
        return x.to(_dtype(dtype))


class Alloc(torch.nn.Module):
    """An uninitialised tensor of a shape and dtype on the device of `like`, for Fill to write a weight into."""

    def forward(self, like: Tensor, shape: List[int], dtype: int) -> Tensor:
        return torch.empty(shape, dtype=_dtype(dtype), device=like.device)


class Fill(torch.nn.Module):
    """Copies src into dest's elements [first, first + numel(src)) (row-major), in place, converting its dtype.

    Weights are loaded chunk by chunk this way, so that loading never holds a second copy of a tensor.
    """

    def forward(self, dest: Tensor, first: int, src: Tensor) -> int:
        dest.view(-1).narrow(0, first, src.numel()).copy_(src.reshape(-1))
        return src.numel()


class Quantize(torch.nn.Module):
    """A layer's matrices (qkv, o, gate_up, down, any float dtype) as symmetric per-output-channel int8,
    prepacked for linear_dynamic (scale = max |row| / 127, zero point 0), with their shapes as meta tensors (no
    storage) for the layer block's matrix slots. Called with no matrices it returns two empty lists: the `packed`
    argument of float weights. The float matrices may be freed afterwards.
    """

    def forward(self, matrices: List[Tensor]) -> Tuple[List[PackedLinear], List[Tensor]]:
        packed = torch.jit.annotate(List[PackedLinear], [])
        shapes = torch.jit.annotate(List[Tensor], [])
        for w in matrices:
            scale = w.abs().amax(1).to(torch.float32).clamp_min(1e-30) / 127.0
            q = w.to(torch.float32)
            q.div_(scale.unsqueeze(1)).round_().clamp_(-127.0, 127.0)
            q8 = _make_int8(q.to(torch.int8), scale)
            packed.append(torch.ops.quantized.linear_prepack(q8, None))
            shapes.append(torch.empty(w.shape, dtype=torch.float32, device=torch.device("meta")))
        return packed, shapes


def _make_int8(q: Tensor, scale: Tensor) -> Tensor:
    zero = torch.zeros(scale.shape, dtype=torch.int64, device=scale.device)
    return torch._make_per_channel_quantized_tensor(q, scale.to(torch.float64), zero, 0)


BLOCKS = {
    "prepare.pt": Prepare,
    "rope.pt": Rope,
    "llama_layer.pt": LlamaLayer,
    "qwen3_layer.pt": Qwen3Layer,
    "gemma2_layer.pt": Gemma2Layer,
    "pool.pt": Pool,
    "cast.pt": Cast,
    "alloc.pt": Alloc,
    "fill.pt": Fill,
    "quantize.pt": Quantize,
}
"""Every exported block by file name."""

WEIGHTS = {
    "llama_layer.pt": ["input_layernorm", "qkv", "o", "post_attention_layernorm", "gate_up", "down", "qkv_bias",
                       "o_bias"],
    "qwen3_layer.pt": ["input_layernorm", "qkv", "o", "post_attention_layernorm", "gate_up", "down", "qkv_bias",
                       "o_bias", "q_norm", "k_norm"],
    "gemma2_layer.pt": ["input_layernorm", "qkv", "o", "post_attention_layernorm", "pre_feedforward_layernorm",
                        "post_feedforward_layernorm", "gate_up", "down"],
}
"""The arguments of each layer block that are a checkpoint layer's weights (filled by the family's weight list)."""

PACKED = ["qkv", "o", "gate_up", "down"]
"""The matrix slots, in the order of a layer block's `packed` list (Java quantizes them in this order)."""
