/**
 * The PyTorch half of the training script: LayerLab's layers as torch modules working channels-last (as tf.js
 * does, so Flatten and the weights keep LayerLab's order), its optimizers and losses, and DistributedDataParallel
 * when started under torchrun.
 */

export const PYTORCH_IMPORTS = String.raw`import argparse
import csv
import json
import math
import os
import re
import struct
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
`;

export const PYTORCH_PART = String.raw`
# ---------------------------------------------------------------------------------------------------------
# PyTorch: LayerLab's layers, channels-last like tf.js, so weights and Flatten keep LayerLab's order.
# ---------------------------------------------------------------------------------------------------------
FRAMEWORK = "pytorch"
WORLD = int(os.environ.get("WORLD_SIZE", "1"))
RANK = int(os.environ.get("RANK", "0"))
IS_MAIN = RANK == 0


def act(name):
    return {
        None: lambda x: x, "linear": lambda x: x, "relu": F.relu, "relu6": F.relu6, "elu": F.elu, "selu": F.selu,
        "sigmoid": torch.sigmoid, "hardSigmoid": lambda x: torch.clamp(0.2 * x + 0.5, 0, 1), "tanh": torch.tanh,
        "softmax": lambda x: torch.softmax(x, dim=-1), "softplus": F.softplus, "softsign": F.softsign,
        "swish": lambda x: x * torch.sigmoid(x),
    }[name]


def same_pads(size, kernel, stride):
    """TensorFlow's 'same' padding (the extra cell goes after), as F.pad wants it for the last two axes."""
    pads = []
    for axis in (1, 0):
        out = math.ceil(size[axis] / stride[axis])
        total = max((out - 1) * stride[axis] + kernel[axis] - size[axis], 0)
        pads += [total // 2, total - total // 2]
    return pads


class Dense(nn.Module):
    def __init__(self, c, shape_in):
        super().__init__()
        self.linear = nn.Linear(shape_in[-1], c["units"], bias=c.get("useBias", True))
        self.activation = act(c.get("activation"))

    def forward(self, x):
        return self.activation(self.linear(x))

    def put(self, w):
        self.linear.weight.data.copy_(torch.from_numpy(w["kernel"].T.copy()))
        if self.linear.bias is not None:
            self.linear.bias.data.copy_(torch.from_numpy(w["bias"]))

    def take(self):
        out = {"kernel": self.linear.weight.detach().cpu().numpy().T.copy()}
        if self.linear.bias is not None:
            out["bias"] = self.linear.bias.detach().cpu().numpy().copy()
        return out


class Conv2D(nn.Module):
    def __init__(self, c, shape_in):
        super().__init__()
        self.kernel, self.stride = pair(c["kernelSize"], 1), pair(c.get("strides"), 1)
        self.same, self.size = c.get("padding", "valid") == "same", shape_in[:2]
        self.conv = nn.Conv2d(shape_in[2], c["filters"], self.kernel, self.stride, bias=c.get("useBias", True))
        self.activation = act(c.get("activation"))

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.same:
            x = F.pad(x, same_pads(self.size, self.kernel, self.stride))
        return self.activation(self.conv(x).permute(0, 2, 3, 1))

    def put(self, w):
        self.conv.weight.data.copy_(torch.from_numpy(np.transpose(w["kernel"], (3, 2, 0, 1)).copy()))
        if self.conv.bias is not None:
            self.conv.bias.data.copy_(torch.from_numpy(w["bias"]))

    def take(self):
        out = {"kernel": np.transpose(self.conv.weight.detach().cpu().numpy(), (2, 3, 1, 0)).copy()}
        if self.conv.bias is not None:
            out["bias"] = self.conv.bias.detach().cpu().numpy().copy()
        return out


class Pooling2D(nn.Module):
    def __init__(self, c, shape_in, maximum):
        super().__init__()
        self.kernel = pair(c.get("poolSize"), 2)
        self.stride = pair(c.get("strides"), self.kernel)
        self.same, self.size, self.maximum = c.get("padding", "valid") == "same", shape_in[:2], maximum

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.maximum:
            if self.same:
                x = F.pad(x, same_pads(self.size, self.kernel, self.stride), value=-math.inf)
            x = F.max_pool2d(x, self.kernel, self.stride)
        elif self.same:
            # Padded cells do not count towards the average, as in TensorFlow.
            pads = same_pads(self.size, self.kernel, self.stride)
            ones = F.pad(torch.ones_like(x[:1, :1]), pads)
            x = F.avg_pool2d(F.pad(x, pads), self.kernel, self.stride) / F.avg_pool2d(ones, self.kernel, self.stride)
        else:
            x = F.avg_pool2d(x, self.kernel, self.stride)
        return x.permute(0, 2, 3, 1)


class BatchNormalization(nn.Module):
    """Normalizes the last axis; running statistics follow each batch as Keras' momentum says."""

    def __init__(self, c, shape_in):
        super().__init__()
        n = shape_in[-1]
        self.momentum, self.epsilon = c.get("momentum", 0.99), c.get("epsilon", 1e-3)
        self.gamma = nn.Parameter(torch.ones(n)) if c.get("scale", True) else None
        self.beta = nn.Parameter(torch.zeros(n)) if c.get("center", True) else None
        self.register_buffer("moving_mean", torch.zeros(n))
        self.register_buffer("moving_variance", torch.ones(n))

    def forward(self, x):
        axes = list(range(x.dim() - 1))
        if self.training:
            mean, variance = x.mean(axes), x.var(axes, unbiased=False)
            with torch.no_grad():
                self.moving_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)
                self.moving_variance.mul_(self.momentum).add_((1 - self.momentum) * variance)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        y = (x - mean) / torch.sqrt(variance + self.epsilon)
        if self.gamma is not None:
            y = y * self.gamma
        return y + self.beta if self.beta is not None else y

    def put(self, w):
        for name in ("gamma", "beta", "moving_mean", "moving_variance"):
            if getattr(self, name) is not None:
                getattr(self, name).data.copy_(torch.from_numpy(w[name]))

    def take(self):
        return {name: getattr(self, name).detach().cpu().numpy().copy()
                for name in ("gamma", "beta", "moving_mean", "moving_variance") if getattr(self, name) is not None}


class LayerNormalization(nn.Module):
    """Normalizes the last axis of each row."""

    def __init__(self, c, shape_in):
        super().__init__()
        n = shape_in[-1]
        self.epsilon = c.get("epsilon", 1e-3)
        self.gamma = nn.Parameter(torch.ones(n)) if c.get("scale", True) else None
        self.beta = nn.Parameter(torch.zeros(n)) if c.get("center", True) else None

    def forward(self, x):
        return F.layer_norm(x, x.shape[-1:], self.gamma, self.beta, self.epsilon)

    def put(self, w):
        for name in ("gamma", "beta"):
            if getattr(self, name) is not None:
                getattr(self, name).data.copy_(torch.from_numpy(w[name]))

    def take(self):
        return {name: getattr(self, name).detach().cpu().numpy().copy()
                for name in ("gamma", "beta") if getattr(self, name) is not None}


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def make_layer(layer, shape_in, shape_out):
    c, kind = layer["config"], layer["className"]
    if kind == "Dense":
        return Dense(c, shape_in)
    if kind == "Conv2D":
        return Conv2D(c, shape_in)
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        return Pooling2D(c, shape_in, kind == "MaxPooling2D")
    if kind == "BatchNormalization":
        return BatchNormalization(c, shape_in)
    if kind == "LayerNormalization":
        return LayerNormalization(c, shape_in)
    if kind == "Dropout":
        return nn.Dropout(c["rate"])
    if kind == "Activation":
        return Lambda(act(c["activation"]))
    if kind in ("Flatten", "Reshape"):
        return Lambda(lambda x: x.reshape([x.shape[0]] + shape_out))
    if kind == "GlobalAveragePooling2D":
        return Lambda(lambda x: x.mean(dim=(1, 2)))
    raise SystemExit(f"This script cannot build a {kind} layer.")


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([make_layer(layer, *shapes)
                                     for layer, shapes in zip(PLAN["layers"], layer_shapes(PLAN["inputShape"]))])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def make_optimizer(parameters):
    o = PLAN["training"]["optimizer"]
    lr, name = o["learningRate"], o["name"]
    # tf.js' constants (epsilon 1e-7, RMSprop decay 0.9, Adagrad's starting accumulator 0.1, Adadelta rho 0.95).
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=o.get("momentum") or 0, nesterov=bool(o.get("nesterov")) and (o.get("momentum") or 0) > 0)
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr, eps=1e-7)
    if name == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr, alpha=0.9, eps=1e-7)
    if name == "adagrad":
        return torch.optim.Adagrad(parameters, lr=lr, initial_accumulator_value=0.1, eps=1e-7)
    if name == "adadelta":
        return torch.optim.Adadelta(parameters, lr=lr, rho=0.95, eps=1e-7)
    return torch.optim.Adamax(parameters, lr=lr, eps=1e-7)


def torch_sample_losses(outputs, targets):
    loss = PLAN["training"]["loss"]
    if loss in ("categoricalCrossentropy", "sparseCategoricalCrossentropy"):
        picked = outputs.gather(1, targets.view(-1, 1)).squeeze(1)
        return -torch.log(torch.clamp(picked, EPSILON, 1))
    if loss == "binaryCrossentropy":
        p = torch.clamp(outputs, EPSILON, 1 - EPSILON)
        return -(targets * torch.log(p) + (1 - targets) * torch.log(1 - p)).mean(-1)
    error = (outputs - targets).abs()
    if loss == "meanAbsoluteError":
        return error.mean(-1)
    if loss == "huber":
        quadratic = torch.clamp(error, max=1)
        return (0.5 * quadratic ** 2 + (error - quadratic)).mean(-1)
    return (error ** 2).mean(-1)


def penalties(network):
    """The layers' L1/L2 weight penalties, added to the loss as tf.js adds them."""
    total = 0
    for layer, module in zip(PLAN["layers"], network.layers):
        c = layer["config"]
        inner = getattr(module, "linear", None) or getattr(module, "conv", None)
        for key, tensor in (("kernelRegularizer", getattr(inner, "weight", None)), ("biasRegularizer", getattr(inner, "bias", None))):
            spec = c.get(key) or {}
            if tensor is not None and (spec.get("l1") or spec.get("l2")):
                total = total + spec.get("l1", 0) * tensor.abs().sum() + spec.get("l2", 0) * (tensor ** 2).sum()
    return total


class TorchEngine:
    def __init__(self, batch_size):
        self.device = torch.device(f"cuda:{os.environ.get('LOCAL_RANK', '0')}" if torch.cuda.is_available() else "cpu")
        self.network = Network().to(self.device)
        self.model = self.network
        if WORLD > 1:
            self.model = nn.parallel.DistributedDataParallel(self.network, device_ids=[self.device] if self.device.type == "cuda" else None)
        self.optimizer = make_optimizer(self.model.parameters())
        self.batch_size = batch_size

    def parameters(self):
        return sum(p.numel() for p in self.network.parameters()) + sum(b.numel() for b in self.network.buffers())

    def train_epoch(self, x, targets, weights):
        self.model.train()
        rows = [torch.from_numpy(x), torch.from_numpy(targets)]
        if weights is not None:
            rows.append(torch.from_numpy(weights))
        dataset = TensorDataset(*rows)
        # The rows come already in this epoch's seeded order; each process takes its share of every batch.
        sampler = DistributedSampler(dataset, num_replicas=WORLD, rank=RANK, shuffle=False) if WORLD > 1 else None
        loader = DataLoader(dataset, batch_size=self.batch_size, sampler=sampler, shuffle=False)
        total = torch.zeros(2, dtype=torch.float64, device=self.device)
        for batch in loader:
            batch = [t.to(self.device) for t in batch]
            per_sample = torch_sample_losses(self.model(batch[0]), batch[1])
            loss = (per_sample * batch[2]).mean() if weights is not None else per_sample.mean()
            loss = loss + penalties(self.network)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            total += torch.tensor([loss.item() * len(batch[0]), len(batch[0])], dtype=torch.float64, device=self.device)
        if WORLD > 1:
            dist.all_reduce(total)
        return float(total[0] / total[1])

    def predict(self, x):
        self.network.eval()
        with torch.no_grad():
            return torch.cat([self.network(torch.from_numpy(x[i:i + 4096]).to(self.device)).cpu()
                              for i in range(0, len(x), 4096)]).numpy()

    def get_weights(self):
        out = []
        for index, module in enumerate(self.network.layers):
            if hasattr(module, "take"):
                out += [{"layerIndex": index, "name": name, "values": values} for name, values in module.take().items()]
        return out

    def set_weights(self, tensors):
        for index, module in enumerate(self.network.layers):
            if hasattr(module, "put"):
                module.put({t["name"]: np.asarray(t["values"], np.float32) for t in tensors if t["layerIndex"] == index})

    def set_learning_rate(self, lr):
        for group in self.optimizer.param_groups:
            group["lr"] = lr


def main():
    global PRE
    args = parse_arguments(lambda parser: parser.add_argument(
        "--batch-size", type=int, default=PLAN["training"]["batchSize"], help="rows per batch in each process"))
    if WORLD > 1:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    torch.manual_seed(PLAN["training"]["seed"] + RANK)
    data = Data(args.data, args.use_fitted)
    PRE = data.preprocessor
    engine = TorchEngine(min(args.batch_size, max(len(data.parts["train"]["y"]), 1)))
    # Every process starts from the same weights: drawn from the seed, or the run's trained ones.
    engine.set_weights(read_weights_file(args.weights) if args.weights else initial_weights(PLAN["training"]["seed"]))
    result = train_loop(engine, data, args.epochs)
    if IS_MAIN:
        finish(args, engine, data, result)
    if WORLD > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
