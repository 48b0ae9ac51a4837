/**
 * The Keras half of the training script: LayerLab's layers are Keras' own (tf.js took its names and
 * layouts from Keras), and `--strategy` builds and compiles the model inside a tf.distribute strategy.
 */

export const KERAS_IMPORTS = String.raw`import argparse
import csv
import json
import math
import os
import re
import struct
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
`;

export const KERAS_PART = String.raw`
# ---------------------------------------------------------------------------------------------------------
# Keras: the same layers by their Keras names; weights already in LayerLab's layout.
# ---------------------------------------------------------------------------------------------------------
FRAMEWORK = "keras"


def is_chief():
    """Under --strategy multiworker only the chief (or worker 0 when there is none) writes the report."""
    config = json.loads(os.environ.get("TF_CONFIG") or "{}")
    task = config.get("task") or {}
    if not task:
        return True
    if "chief" in config.get("cluster", {}):
        return task.get("type") == "chief"
    return task.get("type") == "worker" and int(task.get("index", 0)) == 0


IS_MAIN = is_chief()
ops = keras.ops
ACTIVATIONS = {
    None: "linear", "linear": "linear", "relu": "relu", "relu6": "relu6", "elu": "elu", "selu": "selu",
    "sigmoid": "sigmoid", "tanh": "tanh", "softmax": "softmax", "softplus": "softplus", "softsign": "softsign",
    "swish": "silu",
    # tf.js' hard sigmoid is 0.2x + 0.5 clipped to [0, 1]; Keras 3 changed its own to x / 6 + 0.5.
    "hardSigmoid": lambda x: ops.clip(0.2 * x + 0.5, 0.0, 1.0),
}


def penalty(spec):
    spec = spec or {}
    return keras.regularizers.L1L2(spec.get("l1", 0), spec.get("l2", 0)) if spec.get("l1") or spec.get("l2") else None


def make_layer(layer, shape_out):
    c, kind = layer["config"], layer["className"]
    if kind == "Dense":
        return keras.layers.Dense(c["units"], activation=ACTIVATIONS[c.get("activation")], use_bias=c.get("useBias", True),
                                  kernel_regularizer=penalty(c.get("kernelRegularizer")), bias_regularizer=penalty(c.get("biasRegularizer")))
    if kind == "Conv2D":
        return keras.layers.Conv2D(c["filters"], pair(c["kernelSize"], 1), strides=pair(c.get("strides"), 1),
                                   padding=c.get("padding", "valid"), activation=ACTIVATIONS[c.get("activation")],
                                   use_bias=c.get("useBias", True), kernel_regularizer=penalty(c.get("kernelRegularizer")),
                                   bias_regularizer=penalty(c.get("biasRegularizer")))
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        k = pair(c.get("poolSize"), 2)
        cls = keras.layers.MaxPooling2D if kind == "MaxPooling2D" else keras.layers.AveragePooling2D
        return cls(k, strides=pair(c.get("strides"), k), padding=c.get("padding", "valid"))
    if kind == "BatchNormalization":
        return keras.layers.BatchNormalization(momentum=c.get("momentum", 0.99), epsilon=c.get("epsilon", 1e-3),
                                               center=c.get("center", True), scale=c.get("scale", True))
    if kind == "LayerNormalization":
        return keras.layers.LayerNormalization(epsilon=c.get("epsilon", 1e-3), center=c.get("center", True), scale=c.get("scale", True))
    if kind == "Dropout":
        return keras.layers.Dropout(c["rate"])
    if kind == "Activation":
        return keras.layers.Activation(ACTIVATIONS[c["activation"]])
    if kind in ("Flatten", "Reshape"):
        return keras.layers.Reshape(shape_out)
    if kind == "GlobalAveragePooling2D":
        return keras.layers.GlobalAveragePooling2D()
    raise SystemExit(f"This script cannot build a {kind} layer.")


def make_optimizer():
    o = PLAN["training"]["optimizer"]
    lr, name = o["learningRate"], o["name"]
    # tf.js' constants (epsilon 1e-7, RMSprop decay 0.9, Adagrad's starting accumulator 0.1, Adadelta rho 0.95).
    if name == "sgd":
        return keras.optimizers.SGD(lr, momentum=o.get("momentum") or 0.0, nesterov=bool(o.get("nesterov")))
    if name == "adam":
        return keras.optimizers.Adam(lr, epsilon=1e-7)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(lr, rho=0.9, epsilon=1e-7)
    if name == "adagrad":
        return keras.optimizers.Adagrad(lr, initial_accumulator_value=0.1, epsilon=1e-7)
    if name == "adadelta":
        return keras.optimizers.Adadelta(lr, rho=0.95, epsilon=1e-7)
    return keras.optimizers.Adamax(lr, epsilon=1e-7)


def make_loss():
    loss = PLAN["training"]["loss"]
    if loss in ("categoricalCrossentropy", "sparseCategoricalCrossentropy"):
        return keras.losses.SparseCategoricalCrossentropy()
    return {"binaryCrossentropy": keras.losses.BinaryCrossentropy(), "meanAbsoluteError": keras.losses.MeanAbsoluteError(),
            "huber": keras.losses.Huber(delta=1.0)}.get(loss, keras.losses.MeanSquaredError())


def make_strategy(name):
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        # Each worker reads its place in the cluster from TF_CONFIG.
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


class KerasEngine:
    def __init__(self, strategy, batch_size):
        self.batch_size = batch_size
        with strategy.scope():
            shapes = layer_shapes(PLAN["inputShape"])
            self.model = keras.Sequential([keras.Input(shape=PLAN["inputShape"])] +
                                          [make_layer(layer, out) for layer, (_, out) in zip(PLAN["layers"], shapes)])
            self.model.compile(optimizer=make_optimizer(), loss=make_loss())

    def parameters(self):
        return int(self.model.count_params())

    def train_epoch(self, x, targets, weights):
        history = self.model.fit(x, targets, sample_weight=weights, batch_size=self.batch_size, epochs=1,
                                 shuffle=False, verbose=0)
        return float(history.history["loss"][-1])

    def predict(self, x):
        return np.asarray(self.model.predict(x, batch_size=4096, verbose=0), dtype=np.float32)

    def get_weights(self):
        out = []
        for index, layer in enumerate(self.model.layers):
            out += [{"layerIndex": index, "name": w.name, "values": np.asarray(w.numpy(), np.float32)} for w in layer.weights]
        return out

    def set_weights(self, tensors):
        for index, layer in enumerate(self.model.layers):
            if layer.weights:
                by_name = {t["name"]: t["values"] for t in tensors if t["layerIndex"] == index}
                layer.set_weights([by_name[w.name] for w in layer.weights])

    def set_learning_rate(self, lr):
        self.model.optimizer.learning_rate.assign(lr)


def main():
    global PRE
    args = parse_arguments(lambda parser: (
        parser.add_argument("--batch-size", type=int, default=PLAN["training"]["batchSize"], help="rows per batch"),
        parser.add_argument("--strategy", choices=["none", "mirrored", "multiworker"], default="none",
                            help="train inside this tf.distribute strategy")))
    keras.utils.set_random_seed(PLAN["training"]["seed"])
    data = Data(args.data, args.use_fitted)
    PRE = data.preprocessor
    engine = KerasEngine(make_strategy(args.strategy), min(args.batch_size, max(len(data.parts["train"]["y"]), 1)))
    engine.set_weights(read_weights_file(args.weights) if args.weights else initial_weights(PLAN["training"]["seed"]))
    result = train_loop(engine, data, args.epochs)
    if IS_MAIN:
        finish(args, engine, data, result)


if __name__ == "__main__":
    main()
`;
