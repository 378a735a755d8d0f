/**
 * The ONNX graph of the native GEMM kernel, serialised at run time. Hand-written protobuf: the
 * graph is two nodes, and the wire format needs only varints, 32-bit floats and length-delimited
 * fields (about 60 lines); the alternatives (protobufjs plus an onnx.proto schema, or the
 * unmaintained `onnx-proto`) would add a schema compiler or a stale dependency for the same bytes.
 *
 * Graph: S = Gemm(Q, X, C; alpha = -2, beta = 1, transB = 1), i.e. S[i][j] = |x_j|^2 - 2 q_i . x_j
 * (each row's squared distances less the constant |q_i|^2), then TopK(S, K; smallest, sorted)
 * along each row. Shapes are symbolic, so one session serves every block and every K. A second
 * graph is the Gemm alone (the symmetric kernel selects along rows and columns itself).
 */

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** ONNX TensorProto.DataType values. */
const FLOAT = 1;
const INT64 = 7;

/** ONNX AttributeProto.AttributeType values. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

/** ModelProto.ir_version 8 with opset 17: what onnxruntime 1.14 and later read. */
const IR_VERSION = 8;
const OPSET = 17;

/** Appends protobuf fields to a growing byte list. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  varint(value: number): this {
    // negative int64 values are ten bytes of two's complement
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
    return this;
  }

  private key(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    return this.key(field, VARINT).varint(value);
  }

  float(field: number, value: number): this {
    this.key(field, FIXED32);
    for (const b of new Uint8Array(Float32Array.of(value).buffer)) this.bytes.push(b);
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, text: string): this {
    return this.raw(field, new TextEncoder().encode(text));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.raw(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** ValueInfoProto: a named tensor of `elemType` with dimensions fixed (numbers) or symbolic. */
function valueInfo(
  name: string,
  elemType: number,
  dims: readonly (number | string)[],
): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of dims) {
    shape.message(
      1,
      typeof dim === "number" ? new ProtoWriter().int(1, dim) : new ProtoWriter().string(2, dim),
    );
  }
  const tensor = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
}

function floatAttribute(name: string, value: number): ProtoWriter {
  return new ProtoWriter().string(1, name).float(2, value).int(20, ATTRIBUTE_FLOAT);
}

function intAttribute(name: string, value: number): ProtoWriter {
  return new ProtoWriter().string(1, name).int(3, value).int(20, ATTRIBUTE_INT);
}

function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: readonly ProtoWriter[],
): ProtoWriter {
  const w = new ProtoWriter();
  for (const name of inputs) w.string(1, name);
  for (const name of outputs) w.string(2, name);
  // named after its first output: node names must be unique in a graph
  w.string(3, outputs[0] ?? op.toLowerCase()).string(4, op);
  for (const a of attributes) w.message(5, a);
  return w;
}

/** Names of the graph's inputs and outputs, as the session's feeds and results use them. */
export const GRAPH = {
  /** m x d float32 query rows. */
  queries: "q",
  /** n x d float32 rows searched. */
  points: "x",
  /** 1 x n float32 squared norms of the rows searched. */
  norms: "c",
  /** m x n float32: |x_j|^2 - 2 q . x_j (the Gemm's output; the Gemm-only graph's result). */
  shifted: "s",
  /** int64[1]: how many smallest values to keep per row. */
  keep: "kk",
  /** m x K float32: the K smallest of |x_j|^2 - 2 q . x_j per row, ascending. */
  values: "values",
  /** m x K int64: their column indices. */
  indices: "indices",
} as const;

/**
 * The serialised ModelProto of the shifted-distance Gemm followed by TopK (see the file's
 * comment), ready for onnxruntime's InferenceSession.create.
 */
export function gemmTopKModel(): Uint8Array {
  return model(true);
}

/**
 * The serialised ModelProto of the shifted-distance Gemm alone (its m x n output `GRAPH.shifted`),
 * for the symmetric kernel, which selects along the block's rows and columns itself
 * (row-lists.ts): onnxruntime's TopK along columns (axis 0, or after a Transpose) cost as much as
 * the Gemm (measured on MNIST pixels, 20 000 x 784).
 */
export function gemmModel(): Uint8Array {
  return model(false);
}

function model(topK: boolean): Uint8Array {
  const g = GRAPH;
  const graph = new ProtoWriter().message(
    1,
    node(
      "Gemm",
      [g.queries, g.points, g.norms],
      [g.shifted],
      [floatAttribute("alpha", -2), floatAttribute("beta", 1), intAttribute("transB", 1)],
    ),
  );
  if (topK) {
    graph.message(
      1,
      node(
        "TopK",
        [g.shifted, g.keep],
        [g.values, g.indices],
        [intAttribute("axis", -1), intAttribute("largest", 0), intAttribute("sorted", 1)],
      ),
    );
  }
  graph
    .string(2, "lacuna-knn")
    .message(11, valueInfo(g.queries, FLOAT, ["m", "d"]))
    .message(11, valueInfo(g.points, FLOAT, ["n", "d"]))
    .message(11, valueInfo(g.norms, FLOAT, [1, "n"]));
  if (topK) {
    graph
      .message(11, valueInfo(g.keep, INT64, [1]))
      .message(12, valueInfo(g.values, FLOAT, ["m", "K"]))
      .message(12, valueInfo(g.indices, INT64, ["m", "K"]));
  } else graph.message(12, valueInfo(g.shifted, FLOAT, ["m", "n"]));
  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, "lacuna")
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, "").int(2, OPSET))
    .finish();
}
