"""A screen whose key labels follow the active language."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual.screen import ActiveBinding, ModalScreen, Screen

from ..i18n import _

if TYPE_CHECKING:
    from .app import HrddApp


def _translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    return {
        key: ActiveBinding(b.node, dataclasses.replace(b.binding, description=_(b.binding.description))
                           if b.binding.description else b.binding, b.enabled, b.tooltip)
        for key, b in bindings.items()
    }


class BaseScreen(Screen[None]):
    """Key descriptions in BINDINGS are English msgids, shown translated in the footer."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _translated(super().active_bindings)

    @property
    def hrdd(self) -> HrddApp:
        return self.app  # type: ignore[return-value]


class BaseModal(ModalScreen[None]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _translated(super().active_bindings)
