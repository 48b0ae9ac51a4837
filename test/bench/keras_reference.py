"""A plain Keras MLP on arrays LayerLab prepared: Dense 64 relu, Dense 64 relu, output; Adam 1e-3; 100 epochs.

Reads the JSON written by keras-reference.ts (already split, standardised and encoded as LayerLab did it) and
prints the validation score of the last epoch as one JSON line: valAccuracy for classification, valR2 for
regression (in the target's own units, though R² does not depend on them).
"""
import json
import sys

import numpy as np

import keras


def matrix(split):
    x = np.asarray(split["x"], dtype=np.float32).reshape(split["count"], split["width"])
    y = np.asarray(split["y"], dtype=np.float32)
    return x, y


def main(path):
    data = json.load(open(path))
    keras.utils.set_random_seed(42)
    x_train, y_train = matrix(data["train"])
    x_val, y_val = matrix(data["validation"])
    kind = data["kind"]
    if kind == "regression":
        output, loss = keras.layers.Dense(1), "mse"
    elif kind == "binary":
        output, loss = keras.layers.Dense(1, activation="sigmoid"), "binary_crossentropy"
    else:
        output, loss = keras.layers.Dense(data["classes"], activation="softmax"), "sparse_categorical_crossentropy"
    model = keras.Sequential(
        [
            keras.Input(shape=(x_train.shape[1],)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            output,
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    model.fit(x_train, y_train, epochs=100, batch_size=32, verbose=0, shuffle=True)
    predicted = model.predict(x_val, verbose=0)
    if kind == "regression":
        actual = y_val
        guess = predicted[:, 0]
        r2 = 1 - np.sum((actual - guess) ** 2) / np.sum((actual - actual.mean()) ** 2)
        print(json.dumps({"valR2": float(r2)}))
    else:
        guess = (predicted[:, 0] > 0.5).astype(np.float32) if kind == "binary" else predicted.argmax(axis=1)
        print(json.dumps({"valAccuracy": float(np.mean(guess == y_val))}))


if __name__ == "__main__":
    main(sys.argv[1])
