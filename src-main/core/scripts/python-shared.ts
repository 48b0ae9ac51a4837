/**
 * The Python both training scripts share, written once: reading the CSV, LayerLab's seeded split and
 * preprocessing, the starting weights, the training control (early stopping, plateau), the metrics, the
 * report and the ONNX file. Weights cross this part in LayerLab's own layout (tf.js: row-major, channels-last),
 * so the frameworks only translate at their edge.
 */

export const PYTHON_SHARED = String.raw`
# ---------------------------------------------------------------------------------------------------------
# Reading the data: the cells LayerLab counts as missing, numbers as LayerLab reads them.
# ---------------------------------------------------------------------------------------------------------
MISSING_MARKERS = {"", "na", "n/a", "nan", "null", "?", "none", "-"}
NON_FINITE_WORDS = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}
PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
TRUE_WORDS = {"true", "yes", "t", "y"}
FALSE_WORDS = {"false", "no", "f", "n"}


def is_missing(text):
    t = text.strip()
    return len(t) <= 4 and t.lower() in MISSING_MARKERS


def parse_number(text):
    """A cell as a number, NaN when missing; None when it is text that is no number."""
    t = text.strip()
    if is_missing(t) or t.lower() in NON_FINITE_WORDS:
        return math.nan
    if PLAIN_NUMBER.match(t):
        return float(t)
    # Thousands groups, currency and percent signs, as LayerLab reads them (decimal point files).
    stripped = re.sub(r"^([+-]?)[$€£¥]? ?", r"\1", t)
    stripped = re.sub(r" ?(%|[$€£¥])$", "", stripped)
    if re.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$", stripped) or PLAIN_NUMBER.match(stripped):
        return float(stripped.replace(",", ""))
    word = t.lower()
    if word in TRUE_WORDS:
        return 1.0
    if word in FALSE_WORDS:
        return 0.0
    return None


def number_as_category(value):
    """A number's text the way LayerLab writes it (JavaScript's String(number)): 8, not 8.0."""
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = mantissa + "e" + ("-" if exponent.startswith("-") else "+") + exponent.lstrip("+-").lstrip("0")
    return text


def category_key(text):
    """A cell as a category: numbers in their canonical text, other text trimmed; None when missing."""
    if is_missing(text):
        return None
    t = text.strip()
    if PLAIN_NUMBER.match(t):
        return number_as_category(float(t))
    return t


def read_table(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=PLAN["data"]["delimiter"]))
    if PLAN["data"]["hasHeader"]:
        header, rows = rows[0], rows[1:]
    else:
        header = [column["name"] for column in PLAN["data"]["columns"]]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    return header, rows


def column_cells(header, rows, name):
    if name not in header:
        sys.exit(f"The data has no column '{name}'; the script expects the columns LayerLab trained on.")
    k = header.index(name)
    return [row[k] if k < len(row) else "" for row in rows]


# ---------------------------------------------------------------------------------------------------------
# LayerLab's seeded generator (mulberry32) and split, so the same seed gives the same rows in every split.
# ---------------------------------------------------------------------------------------------------------
U32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & U32


def seeded_random(seed, salt=0x5BD1E995):
    state = [((int(seed) & U32) ^ salt) & U32]

    def draw():
        state[0] = (state[0] + 0x6D2B79F5) & U32
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & U32)) & U32
        return ((t ^ (t >> 14)) & U32) / 4294967296

    return draw


def shuffle_in_place(values, draw):
    for i in range(len(values) - 1, 0, -1):
        j = math.floor(draw() * (i + 1))
        values[i], values[j] = values[j], values[i]


def js_round(x):
    return math.floor(x + 0.5)


def allocate(total, quotas, caps):
    """Whole numbers near the quotas that add up to total (largest remainder), none above its cap."""
    sizes = [min(caps[c], math.floor(q)) for c, q in enumerate(quotas)]
    left = total - sum(sizes)
    order = sorted(range(len(quotas)), key=lambda c: (-(quotas[c] - math.floor(quotas[c])), c))
    while left > 0:
        moved = False
        for c in order:
            if left == 0:
                break
            if sizes[c] < caps[c]:
                sizes[c] += 1
                left -= 1
                moved = True
        if not moved:
            break
    return sizes


def split_rows(rows, split, classes=None, class_count=0):
    draw = seeded_random(split["seed"])
    n = len(rows)
    train_total = js_round(n * split["train"])
    validation_total = min(n - train_total, js_round(n * split["validation"]))
    if split["stratify"] and classes is not None and class_count > 0:
        groups = [[] for _ in range(class_count)]
        for k in range(n):
            groups[classes[k]].append(rows[k])
        for group in groups:
            shuffle_in_place(group, draw)
        sizes = [len(g) for g in groups]
        train_sizes = allocate(train_total, [s * split["train"] for s in sizes], sizes)
        rest = [s - t for s, t in zip(sizes, train_sizes)]
        validation_sizes = allocate(validation_total, [s * split["validation"] for s in sizes], rest)
        train, validation, test = [], [], []
        for c, group in enumerate(groups):
            a = train_sizes[c]
            b = a + validation_sizes[c]
            for i, row in enumerate(group):
                (train if i < a else validation if i < b else test).append(row)
    else:
        order = list(rows)
        shuffle_in_place(order, draw)
        train = order[:train_total]
        validation = order[train_total:train_total + validation_total]
        test = order[train_total + validation_total:]
    for part in (train, validation, test):
        shuffle_in_place(part, draw)
    return {"train": train, "validation": validation, "test": test}


def derive_seed(seed, *parts):
    h = ((int(seed) & U32) ^ 0x811C9DC5) & U32
    for part in parts:
        h = imul(h ^ (part & U32), 0x01000193)
        h ^= h >> 13
    return math.floor(seeded_random(h, 0x9E3779B9)() * 2 ** 31)


# ---------------------------------------------------------------------------------------------------------
# Preprocessing: fitted on the training rows only (or the run's fitted values), in float32 like LayerLab.
# ---------------------------------------------------------------------------------------------------------
f32 = np.float32


def fit_number(setting, values, train_rows):
    present = sorted(v for v in (values[r] for r in train_rows) if not math.isnan(v))
    if not present:
        sys.exit(f"Column '{setting['name']}' has no values in the training rows; set it to ignore in LayerLab.")
    n = len(present)
    total = 0.0
    for v in present:
        total += v
    mean = total / n
    squares = 0.0
    for v in present:
        squares += (v - mean) * (v - mean)
    std = math.sqrt(squares / n)
    median = present[(n - 1) // 2] if n % 2 == 1 else (present[n // 2 - 1] + present[n // 2]) / 2
    missing = setting["missing"]
    if missing == "median":
        fill = median
    elif missing == "mostFrequent":
        fill, best_run, run = present[0], 0, 0
        for i, v in enumerate(present):
            run = run + 1 if i > 0 and v == present[i - 1] else 1
            if run > best_run:
                best_run, fill = run, v
    elif missing == "constant":
        fill = float(setting.get("constant") or 0)
    else:
        fill = mean
    encoding = setting["encoding"]
    if encoding == "standardize":
        std32 = float(f32(std))
        scale = {"kind": "standardize", "mean": float(f32(mean)), "std": std32 if std32 > 0 and math.isfinite(std32) else 1.0}
    elif encoding == "minmax":
        scale = {"kind": "minmax", "min": float(f32(present[0])), "max": float(f32(present[-1]))}
    else:
        scale = {"kind": "none"}
    return {"name": setting["name"], "type": "number", "fill": float(f32(fill)), "dropMissing": missing == "drop", "scale": scale}


def fit_category(setting, keys, train_rows):
    counts = {}
    for r in train_rows:
        if keys[r] is not None:
            counts[keys[r]] = counts.get(keys[r], 0) + 1
    if not counts:
        sys.exit(f"Column '{setting['name']}' has no values in the training rows; set it to ignore in LayerLab.")
    seen = list(counts)
    missing = setting["missing"]
    constant = setting.get("constant")
    if missing == "drop":
        fill = None
    elif missing == "constant" and constant is not None and str(constant) != "":
        fill = str(constant)
        if fill not in seen:
            seen.append(fill)
    else:
        fill = min(counts, key=lambda c: (-counts[c], c))
    return {"name": setting["name"], "type": "category", "categories": sorted(seen), "encoding": setting["encoding"], "fill": fill, "dropMissing": missing == "drop"}


def feature_width(feature):
    return len(feature["categories"]) if feature["type"] == "category" and feature["encoding"] == "onehot" else 1


def encode_number(feature, values):
    x = np.where(np.isnan(values), f32(feature["fill"]), values.astype(np.float32)).astype(np.float32)
    scale = feature["scale"]
    if scale["kind"] == "standardize":
        return ((x - f32(scale["mean"])).astype(np.float32) / f32(scale["std"])).astype(np.float32)
    if scale["kind"] == "minmax":
        span = f32(f32(scale["max"]) - f32(scale["min"]))
        return ((x - f32(scale["min"])).astype(np.float32) / (span if span != 0 else f32(1))).astype(np.float32)
    return x


def encode_category(feature, keys):
    index = {c: k for k, c in enumerate(feature["categories"])}
    fill = feature["fill"]
    codes = np.array([index.get(fill if key is None else key, -1) if (key is not None or fill is not None) else -1 for key in keys], dtype=np.int64)
    if feature["encoding"] == "ordinal":
        return codes.astype(np.float32)[:, None]
    out = np.zeros((len(keys), len(feature["categories"])), dtype=np.float32)
    seen = codes >= 0
    out[np.nonzero(seen)[0], codes[seen]] = 1
    return out


class Data:
    """The CSV as LayerLab prepares it: usable rows, the split, the fitted preprocessor, encoded splits."""

    def __init__(self, path, use_fitted):
        header, rows = read_table(path)
        target = PLAN["target"]
        settings = PLAN["data"]["features"]
        self.preprocessor = PLAN["fitted"] if use_fitted else None
        target_cells = column_cells(header, rows, target["target"])
        if target["kind"] == "regression":
            y = [parse_number(c) for c in target_cells]
            y = [math.nan if v is None else v for v in y]
        else:
            labels = {label: k for k, label in enumerate(target["labels"])}
            y = [labels.get(category_key(c), math.nan) if category_key(c) is not None else math.nan for c in target_cells]
        sources = []
        for setting in settings:
            cells = column_cells(header, rows, setting["name"])
            if setting["treatAs"] == "number":
                values = []
                for line, cell in enumerate(cells):
                    v = parse_number(cell)
                    if v is None:
                        sys.exit(f"Column '{setting['name']}' is read as numbers, but row {line + 1} holds '{cell}'.")
                    values.append(v)
                sources.append(np.array(values, dtype=np.float64))
            else:
                sources.append([category_key(c) for c in cells])
        keep = []
        for row in range(len(rows)):
            if math.isnan(y[row]):
                continue
            if any(s["missing"] == "drop" and (math.isnan(src[row]) if s["treatAs"] == "number" else src[row] is None)
                   for s, src in zip(settings, sources)):
                continue
            keep.append(row)
        classes = None if target["kind"] == "regression" else [int(y[r]) for r in keep]
        class_count = 0 if target["kind"] == "regression" else len(target["labels"])
        self.split = split_rows(keep, PLAN["split"], classes, class_count)
        if self.preprocessor is None:
            self.preprocessor = self.fit(settings, sources, y)
        self.y_raw = np.array(y, dtype=np.float64)
        self.parts = {name: self.encode(sources, rows_of) for name, rows_of in self.split.items()}

    def fit(self, settings, sources, y):
        train = self.split["train"]
        features = [fit_number(s, src, train) if s["treatAs"] == "number" else fit_category(s, src, train)
                    for s, src in zip(settings, sources)]
        width = sum(feature_width(f) for f in features)
        target = PLAN["target"]
        task = {"kind": target["kind"], "target": target["target"]}
        if target["kind"] != "regression":
            task["labels"] = target["labels"]
        pre = {"features": features, "encodedWidth": width, "inputShape": PLAN["inputShape"], "task": task}
        if target["kind"] == "regression":
            values = sorted(y[r] for r in train)
            total = 0.0
            for v in values:
                total += v
            mean = total / len(values)
            squares = 0.0
            for v in values:
                squares += (v - mean) * (v - mean)
            std = float(f32(math.sqrt(squares / len(values))))
            pre["targetScale"] = {"mean": float(f32(mean)), "std": std if std > 0 and math.isfinite(std) else 1.0}
        return pre

    def encode(self, sources, rows_of):
        columns = []
        for feature, src in zip(self.preprocessor["features"], sources):
            if feature["type"] == "number":
                columns.append(encode_number(feature, src[rows_of])[:, None])
            else:
                columns.append(encode_category(feature, [src[r] for r in rows_of]))
        x = np.concatenate(columns, axis=1) if columns else np.zeros((len(rows_of), 0), np.float32)
        t = self.y_raw[rows_of]
        scale = self.preprocessor.get("targetScale")
        if scale is not None:
            y = ((t.astype(np.float32) - f32(scale["mean"])).astype(np.float32) / f32(scale["std"])).astype(np.float32)
        else:
            y = t.astype(np.float32)
        return {"x": x.reshape([len(rows_of)] + list(PLAN["inputShape"])), "y": y, "rows": rows_of}


def class_weights_for(y):
    """Weight per training row, or None when every row counts the same (LayerLab's class weights)."""
    setting = PLAN["training"]["classWeights"]
    if PLAN["target"]["kind"] == "regression" or setting == "none":
        return None
    labels = PLAN["target"]["labels"]
    per_class = np.ones(len(labels))
    if setting == "balanced":
        counts = np.bincount(y.astype(np.int64), minlength=len(labels)).astype(np.float64)
        present = int((counts > 0).sum())
        per_class = np.where(counts > 0, len(y) / (present * np.maximum(counts, 1)), 0)
    else:
        for label, weight in setting.items():
            per_class[labels.index(label)] = weight
    return per_class[y.astype(np.int64)].astype(np.float32)


def targets_for(y):
    """Targets as the loss wants them: one column for regression and a single sigmoid unit, else class indices."""
    return y.reshape(-1, 1).astype(np.float32) if onehot_free() else y.astype(np.int64)


def onehot_free():
    return PLAN["training"]["loss"] not in ("categoricalCrossentropy", "sparseCategoricalCrossentropy")


# ---------------------------------------------------------------------------------------------------------
# The layers' shapes and weights in LayerLab's layout, and the starting weights drawn from its initializers.
# ---------------------------------------------------------------------------------------------------------
def pair(value, fallback):
    if value is None:
        value = fallback
    return [value[0], value[1] if len(value) > 1 else value[0]] if isinstance(value, list) else [value, value]


def window_output(size, kernel, stride, padding):
    return math.ceil(size / stride) if padding == "same" else (size - kernel) // stride + 1


def layer_shapes(input_shape):
    """Per layer: (input shape, output shape), without the batch axis."""
    shapes, shape = [], list(input_shape)
    for layer in PLAN["layers"]:
        c, kind = layer["config"], layer["className"]
        if kind == "Dense":
            out = shape[:-1] + [c["units"]]
        elif kind == "Flatten":
            out = [int(np.prod(shape))]
        elif kind == "Reshape":
            out = list(c["targetShape"])
        elif kind == "Conv2D":
            k, s = pair(c["kernelSize"], 1), pair(c.get("strides"), 1)
            p = c.get("padding", "valid")
            out = [window_output(shape[0], k[0], s[0], p), window_output(shape[1], k[1], s[1], p), c["filters"]]
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            k = pair(c.get("poolSize"), 2)
            s = pair(c.get("strides"), k)
            p = c.get("padding", "valid")
            out = [window_output(shape[0], k[0], s[0], p), window_output(shape[1], k[1], s[1], p), shape[2]]
        elif kind == "GlobalAveragePooling2D":
            out = [shape[2]]
        else:
            out = shape
        shapes.append((shape, out))
        shape = out
    return shapes


def weight_shapes(layer, shape_in):
    """The layer's weights as LayerLab stores them: (name, shape), in tf.js order."""
    c, kind = layer["config"], layer["className"]
    if kind == "Dense":
        return [("kernel", [shape_in[-1], c["units"]])] + ([("bias", [c["units"]])] if c.get("useBias", True) else [])
    if kind == "Conv2D":
        k = pair(c["kernelSize"], 1)
        return [("kernel", [k[0], k[1], shape_in[-1], c["filters"]])] + ([("bias", [c["filters"]])] if c.get("useBias", True) else [])
    if kind in ("BatchNormalization", "LayerNormalization"):
        n = shape_in[-1]
        out = ([("gamma", [n])] if c.get("scale", True) else []) + ([("beta", [n])] if c.get("center", True) else [])
        return out + ([("moving_mean", [n]), ("moving_variance", [n])] if kind == "BatchNormalization" else [])
    return []


def draw_initial(name, shape, rng):
    if len(shape) == 1:
        fan_in = fan_out = shape[0]
    else:
        receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
        fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
    if name == "zeros":
        return np.zeros(shape, np.float32)
    if name == "ones":
        return np.ones(shape, np.float32)
    if name == "randomUniform":
        return rng.uniform(-0.05, 0.05, shape).astype(np.float32)
    if name == "randomNormal":
        return rng.normal(0, 0.05, shape).astype(np.float32)
    if name == "truncatedNormal":
        return truncated(rng, 0.05, shape)
    if name == "orthogonal":
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        q, r = np.linalg.qr(rng.normal(0, 1, (max(rows, cols), min(rows, cols))))
        q = q * np.sign(np.diag(r))
        return (q if rows >= cols else q.T).reshape(shape).astype(np.float32)
    fan = {"glorot": (fan_in + fan_out) / 2, "he": fan_in / 2, "leCun": fan_in}[re.match(r"glorot|he|leCun", name).group(0)]
    if name.endswith("Uniform"):
        limit = math.sqrt(3 / fan)
        return rng.uniform(-limit, limit, shape).astype(np.float32)
    return truncated(rng, math.sqrt(1 / fan) / 0.87962566103423978, shape)


def truncated(rng, std, shape):
    values = rng.normal(0, std, shape)
    outside = np.abs(values) > 2 * std
    while outside.any():
        values[outside] = rng.normal(0, std, int(outside.sum()))
        outside = np.abs(values) > 2 * std
    return values.astype(np.float32)


def initial_weights(seed):
    """Fresh weights from each layer's initializers, seeded per layer and role from the run's seed."""
    out = []
    for index, (layer, (shape_in, _)) in enumerate(zip(PLAN["layers"], layer_shapes(PLAN["inputShape"]))):
        c = layer["config"]
        for name, shape in weight_shapes(layer, shape_in):
            init = {"kernel": c.get("kernelInitializer", "glorotUniform"), "bias": c.get("biasInitializer", "zeros"),
                    "gamma": "ones", "beta": "zeros", "moving_mean": "zeros", "moving_variance": "ones"}[name]
            rng = np.random.default_rng(derive_seed(seed, index, 1 if name == "kernel" else 2))
            out.append({"layerIndex": index, "name": name, "values": draw_initial(init, shape, rng)})
    return out


def read_weights_file(path):
    """A LayerLab weights file: 'LLW1', a uint32 header length, a JSON header, float32 values from a 4-byte boundary."""
    blob = open(path, "rb").read()
    if blob[:4] != b"LLW1":
        sys.exit(f"{path} is not a LayerLab weights file.")
    length = struct.unpack("<I", blob[4:8])[0]
    header = json.loads(blob[8:8 + length].decode("utf-8"))
    start = math.ceil((8 + length) / 4) * 4
    data = np.frombuffer(blob, dtype="<f4", offset=start)
    return [{"layerIndex": t["layerIndex"], "name": t["name"],
             "values": data[t["offset"]:t["offset"] + t["length"]].reshape(t["shape"]).astype(np.float32)}
            for t in header["tensors"]]


# ---------------------------------------------------------------------------------------------------------
# Metrics with LayerLab's names, and the early-stopping and learning-rate watches it uses.
# ---------------------------------------------------------------------------------------------------------
HIGHER_IS_BETTER = {"valAccuracy", "valPrecision", "valRecall", "valF1", "valR2", "accuracy"}
EPSILON = 1e-7


def sample_losses(outputs, y):
    loss = PLAN["training"]["loss"]
    o = outputs.astype(np.float64)
    if loss in ("categoricalCrossentropy", "sparseCategoricalCrossentropy"):
        return -np.log(np.clip(o[np.arange(len(y)), y.astype(np.int64)], EPSILON, 1))
    t = y.reshape(len(y), -1)
    if loss == "binaryCrossentropy":
        p = np.clip(o, EPSILON, 1 - EPSILON)
        return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p), axis=-1)
    error = np.abs(o - t)
    if loss == "meanAbsoluteError":
        return np.mean(error, axis=-1)
    if loss == "huber":
        quadratic = np.minimum(error, 1)
        return np.mean(0.5 * quadratic ** 2 + (error - quadratic), axis=-1)
    return np.mean(error ** 2, axis=-1)


def validation_metrics(outputs, y):
    if len(y) == 0:
        return {}
    metrics = {"valLoss": float(np.mean(sample_losses(outputs, y)))}
    target = PLAN["target"]
    if target["kind"] == "regression":
        scale = PRE["targetScale"]
        actual = y.astype(np.float64) * scale["std"] + scale["mean"]
        predicted = outputs[:, 0].astype(np.float64) * scale["std"] + scale["mean"]
        residual = float(np.sum((actual - predicted) ** 2))
        total = float(np.sum((actual - actual.mean()) ** 2))
        metrics.update(valMae=float(np.mean(np.abs(actual - predicted))), valRmse=math.sqrt(residual / len(y)),
                       valR2=(1.0 if residual == 0 else 0.0) if total == 0 else 1 - residual / total)
        return metrics
    predicted = predicted_classes(outputs)
    actual = y.astype(np.int64)
    k = len(target["labels"])
    confusion = np.zeros((k, k))
    np.add.at(confusion, (actual, predicted), 1)
    tp = np.diag(confusion)
    precision = np.divide(tp, confusion.sum(0), out=np.zeros(k), where=confusion.sum(0) > 0)
    recall = np.divide(tp, confusion.sum(1), out=np.zeros(k), where=confusion.sum(1) > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(k), where=(precision + recall) > 0)
    pick = (lambda v: float(v[1])) if target["kind"] == "binary" and k == 2 else (lambda v: float(v.mean()))
    metrics.update(valAccuracy=float(np.mean(actual == predicted)), valPrecision=pick(precision),
                   valRecall=pick(recall), valF1=pick(f1))
    return metrics


def predicted_classes(outputs):
    return (outputs[:, 0] >= 0.5).astype(np.int64) if outputs.shape[1] == 1 else np.argmax(outputs, axis=1)


def improved(name, value, best, min_delta):
    return value > best + min_delta if name in HIGHER_IS_BETTER else value < best - min_delta


def monitored(metrics, name):
    if name in metrics:
        return metrics[name]
    return metrics["loss"] if name.startswith("val") and "valLoss" not in metrics else None


class PlateauWatch:
    """Counts epochs without improvement of one metric; says when patience has run out."""

    def __init__(self, name, patience, min_delta):
        self.name, self.patience, self.min_delta = name or "valLoss", patience, abs(min_delta)
        self.best, self.wait = math.nan, 0

    def observe(self, metrics):
        value = monitored(metrics, self.name)
        if value is None:
            return False
        if math.isnan(self.best) or improved(self.name, value, self.best, self.min_delta):
            self.best, self.wait = value, 0
            return False
        self.wait += 1
        return self.wait >= self.patience


def train_loop(engine, data, epochs):
    """LayerLab's loop around one framework: seeded batch order, epoch metrics, plateau, early stopping."""
    settings = PLAN["training"]
    train, validation = data.parts["train"], data.parts["validation"]
    targets, weights = targets_for(train["y"]), class_weights_for(train["y"])
    order_draw = seeded_random(derive_seed(settings["seed"], 1), 0x9E3779B9) if settings["shuffle"] else None
    stopping, plateau = settings["earlyStopping"], settings["reduceLrOnPlateau"]
    best_name = (stopping["monitor"] or "valLoss") if stopping["enabled"] else "valLoss"
    best_delta = abs(stopping["minDelta"]) if stopping["enabled"] else 0
    best = {"value": math.nan, "epoch": None, "weights": None}
    lr_watch = PlateauWatch(plateau["monitor"], plateau["patience"], 0)
    stop_watch = PlateauWatch(stopping["monitor"], stopping["patience"], stopping["minDelta"])
    history, outcome, learning_rate = [], "finished", settings["optimizer"]["learningRate"]
    count = len(train["y"])
    for epoch in range(1, epochs + 1):
        order = list(range(count))
        if order_draw is not None:
            shuffle_in_place(order, order_draw)
        loss = engine.train_epoch(train["x"][order], targets[order], None if weights is None else weights[order])
        metrics = {"loss": loss}
        if len(validation["y"]):
            metrics.update(validation_metrics(engine.predict(validation["x"]), validation["y"]))
        history.append({"epoch": epoch, "metrics": metrics, "learningRate": learning_rate})
        log(f"epoch {epoch}: " + ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()))
        value = monitored(metrics, best_name)
        if value is not None and (math.isnan(best["value"]) or improved(best_name, value, best["value"], best_delta)):
            best.update(value=value, epoch=epoch, weights=engine.get_weights())
        if plateau["enabled"] and lr_watch.observe(metrics):
            lowered = max(learning_rate * plateau["factor"], plateau["minLearningRate"])
            if lowered < learning_rate:
                learning_rate = lowered
                engine.set_learning_rate(lowered)
            lr_watch.wait = 0
        if stopping["enabled"] and stop_watch.observe(metrics):
            outcome = "early-stopped"
            break
    if not history:
        # --epochs 0: only measure the starting weights (the run's own, with --weights).
        final = validation_metrics(engine.predict(validation["x"]), validation["y"]) if len(validation["y"]) else {}
        return {"outcome": "finished", "bestEpoch": None, "keptEpoch": None, "epochsCompleted": 0,
                "history": [], "finalValidation": final}
    kept = history[-1]["epoch"]
    if stopping["enabled"] and stopping["restoreBestWeights"] and best["epoch"] is not None:
        engine.set_weights(best["weights"])
        kept = best["epoch"]
    final = next(r for r in history if r["epoch"] == kept)["metrics"]
    return {"outcome": outcome, "bestEpoch": best["epoch"], "keptEpoch": kept, "epochsCompleted": len(history),
            "history": history, "finalValidation": {k: v for k, v in final.items() if k.startswith("val")}}


# ---------------------------------------------------------------------------------------------------------
# The ONNX file: one float32 input of encoded features, LayerLab's output names, and the preprocessing manifest.
# ---------------------------------------------------------------------------------------------------------
ONNX_ACTIVATIONS = {"relu": "Relu", "elu": "Elu", "selu": "Selu", "sigmoid": "Sigmoid", "tanh": "Tanh",
                    "softplus": "Softplus", "softsign": "Softsign"}


def write_onnx(path, tensors):
    try:
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        log("onnx is not installed (pip install onnx), so no ONNX file was written.")
        return None
    nodes, inits = [], []
    counter = [0]

    def const(values, dtype=np.float32):
        counter[0] += 1
        name = f"c{counter[0]}"
        inits.append(numpy_helper.from_array(np.asarray(values, dtype=dtype), name))
        return name

    def op(kind, inputs, **attrs):
        counter[0] += 1
        out = f"t{counter[0]}"
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def activation(x, name):
        if name in (None, "linear"):
            return x
        if name in ONNX_ACTIVATIONS:
            return op(ONNX_ACTIVATIONS[name], [x])
        if name == "relu6":
            return op("Clip", [x, const(0.0), const(6.0)])
        if name == "hardSigmoid":
            return op("HardSigmoid", [x], alpha=0.2, beta=0.5)
        if name == "softmax":
            return op("Softmax", [x], axis=-1)
        if name == "swish":
            return op("Mul", [x, op("Sigmoid", [x])])
        raise ValueError(f"no ONNX form for activation {name}")

    def spatial(x, kind, shape_in, kernel, stride, padding, weights=None, bias=None):
        x = op("Transpose", [x], perm=[0, 3, 1, 2])
        pads = [0, 0, 0, 0]
        if padding == "same":
            for axis in range(2):
                out = math.ceil(shape_in[axis] / stride[axis])
                total = max((out - 1) * stride[axis] + kernel[axis] - shape_in[axis], 0)
                pads[axis], pads[axis + 2] = total // 2, total - total // 2
        if kind == "Conv":
            inputs = [x, const(np.transpose(weights, (3, 2, 0, 1)))] + ([const(bias)] if bias is not None else [])
            x = op("Conv", inputs, kernel_shape=kernel, strides=stride, pads=pads)
        elif kind == "MaxPool":
            x = op("MaxPool", [x], kernel_shape=kernel, strides=stride, pads=pads)
        else:
            x = op("AveragePool", [x], kernel_shape=kernel, strides=stride, pads=pads, count_include_pad=0)
        return op("Transpose", [x], perm=[0, 2, 3, 1])

    by_layer = {}
    for t in tensors:
        by_layer.setdefault(t["layerIndex"], {})[t["name"]] = np.asarray(t["values"], np.float32)
    x = op("Reshape", ["features", const([-1] + list(PLAN["inputShape"]), np.int64)])
    for index, (layer, (shape_in, shape_out)) in enumerate(zip(PLAN["layers"], layer_shapes(PLAN["inputShape"]))):
        c, kind, w = layer["config"], layer["className"], by_layer.get(index, {})
        if kind == "Dense":
            x = op("MatMul", [x, const(w["kernel"])])
            if "bias" in w:
                x = op("Add", [x, const(w["bias"])])
            x = activation(x, c.get("activation"))
        elif kind == "Activation":
            x = activation(x, c["activation"])
        elif kind in ("Flatten", "Reshape"):
            x = op("Reshape", [x, const([-1] + shape_out, np.int64)])
        elif kind == "BatchNormalization":
            factor = w.get("gamma", 1) / np.sqrt(w["moving_variance"] + c.get("epsilon", 1e-3))
            shift = w.get("beta", 0) - w["moving_mean"] * factor
            x = op("Add", [op("Mul", [x, const(factor)]), const(shift)])
        elif kind == "LayerNormalization":
            n = shape_in[-1]
            x = op("LayerNormalization", [x, const(w.get("gamma", np.ones(n))), const(w.get("beta", np.zeros(n)))],
                   axis=-1, epsilon=c.get("epsilon", 1e-3))
        elif kind == "Conv2D":
            x = spatial(x, "Conv", shape_in, pair(c["kernelSize"], 1), pair(c.get("strides"), 1),
                        c.get("padding", "valid"), w["kernel"], w.get("bias"))
            x = activation(x, c.get("activation"))
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            k = pair(c.get("poolSize"), 2)
            x = spatial(x, "MaxPool" if kind == "MaxPooling2D" else "AveragePool", shape_in, k,
                        pair(c.get("strides"), k), c.get("padding", "valid"))
        elif kind == "GlobalAveragePooling2D":
            x = op("ReduceMean", [x, const([1, 2], np.int64)], keepdims=0)
    outputs = []
    if PLAN["target"]["kind"] == "regression":
        scale = PRE["targetScale"]
        value = op("Add", [op("Mul", [x, const([scale["std"]])]), const([scale["mean"]])])
        nodes.append(helper.make_node("Identity", [value], ["prediction"]))
        outputs.append(helper.make_tensor_value_info("prediction", TensorProto.FLOAT, ["batch", 1]))
    else:
        k = len(PLAN["target"]["labels"])
        if layer_shapes(PLAN["inputShape"])[-1][1] == [1]:
            nodes.append(helper.make_node("Concat", [op("Sub", [const([1.0]), x]), x], ["probabilities"], axis=1))
            nodes.append(helper.make_node("Cast", [op("Squeeze", [op("GreaterOrEqual", [x, const([0.5])]), const([1], np.int64)])], ["label"], to=TensorProto.INT64))
        else:
            nodes.append(helper.make_node("Identity", [x], ["probabilities"]))
            nodes.append(helper.make_node("ArgMax", [x], ["label"], axis=1, keepdims=0))
        outputs.append(helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", k]))
        outputs.append(helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]))
    graph = helper.make_graph(nodes, "layerlab", [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", PRE["encodedWidth"]])], outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="layerlab-script")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)
    manifest = {"format": "layerlab-preprocess", "version": 1, "input": "features", "preprocessor": PRE}
    with open(re.sub(r"\.onnx$", "", path) + ".preprocess.json", "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    return path


def portable_outputs(outputs):
    """What the ONNX file answers for these raw outputs: probabilities, or the prediction in the target's units."""
    if PLAN["target"]["kind"] == "regression":
        scale = PRE["targetScale"]
        return (outputs[:, :1].astype(np.float32) * f32(scale["std"]) + f32(scale["mean"])).tolist()
    return (np.concatenate([1 - outputs, outputs], axis=1) if outputs.shape[1] == 1 else outputs).tolist()


def log(message):
    if IS_MAIN:
        print(message, flush=True)


def parse_arguments(extra):
    parser = argparse.ArgumentParser(description=f"Train LayerLab's model on {PLAN['data']['file']}.")
    parser.add_argument("--data", default=PLAN["data"]["path"], help="the CSV to train on (default: LayerLab's file)")
    parser.add_argument("--epochs", type=int, default=PLAN["training"]["epochs"], help="the most epochs to train")
    parser.add_argument("--report", default="report.json", help="where to write the parameters and final validation scores")
    parser.add_argument("--onnx", default=None, help="the ONNX file to write at the end (default: beside the report)")
    parser.add_argument("--weights", default=None, help="start from these trained weights (the file LayerLab wrote beside this script)")
    parser.add_argument("--use-fitted", action="store_true", default=PLAN["useFitted"],
                        help="use the run's fitted preprocessing instead of fitting it on the training rows")
    parser.add_argument("--dump-split", default=None, help=argparse.SUPPRESS)
    extra(parser)
    return parser.parse_args()


def finish(args, engine, data, result):
    """Rank 0 only: the split dump, the report and the ONNX file."""
    if args.dump_split:
        with open(args.dump_split, "w", encoding="utf-8") as handle:
            json.dump(data.split, handle)
    validation = data.parts["validation"]
    raw = engine.predict(validation["x"]) if len(validation["y"]) else np.zeros((0, 1), np.float32)
    onnx_path = args.onnx or re.sub(r"\.json$", "", args.report) + ".onnx"
    written = write_onnx(onnx_path, engine.get_weights())
    report = {"format": "layerlab-script-report", "framework": FRAMEWORK, "parameters": engine.parameters(),
              **result, "validationRows": validation["rows"], "validationPredictions": portable_outputs(raw),
              "onnx": written}
    with open(args.report, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    log(f"Wrote {args.report}" + (f" and {written}" if written else "") + ": " +
        ", ".join(f"{k} {v:.4f}" for k, v in result["finalValidation"].items()))
`;
