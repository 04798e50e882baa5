"""Directory tables, named after Open Referral HSDS 3.0 objects and fields.

Frontdoor's own additions (``accepts_referrals``, capacity, response time,
contact methods, categories, translations) sit beside the HSDS fields and are
exported under ``x_frontdoor`` / ``categories`` so imports stay a mapping.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, JSONType

__all__ = [
    "Address", "Contact", "CostOption", "DirectoryGeneration", "Location", "Organization", "Phone", "Schedule",
    "Service", "ServiceArea", "ServiceAtLocation", "ServiceCategory", "ServiceLanguage",
]


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    alternate_name: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(500))
    network: Mapped[str | None] = mapped_column(String(50), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # "inactive": no longer in the directory's files, kept because referrals and consents point at it.
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")

    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by="Phone.id", foreign_keys="Phone.organization_id"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Location.id"
    )
    services: Mapped[list[Service]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Service.id"
    )


class Location(Base):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    location_type: Mapped[str] = mapped_column(String(20), default="physical", server_default="physical")
    name: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    organization: Mapped[Organization] = relationship(back_populates="locations")
    addresses: Mapped[list[Address]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Address.id"
    )


class Address(Base):
    __tablename__ = "address"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    address_1: Mapped[str] = mapped_column(String(300))
    address_2: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="GB")
    address_type: Mapped[str] = mapped_column(String(20), default="physical")

    location: Mapped[Location] = relationship(back_populates="addresses")


class Service(Base):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    alternate_name: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="active")
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    # Frontdoor additions
    accepts_referrals: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity_per_week: Mapped[int | None] = mapped_column(Integer)
    response_days: Mapped[int | None] = mapped_column(Integer)
    contact_methods: Mapped[list[str]] = mapped_column(JSONType, default=list)
    translations: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # When an admin last confirmed (or published) this record; None: never since it was imported.
    last_verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_verified_by: Mapped[str | None] = mapped_column(String(36))  # a staff account id

    organization: Mapped[Organization] = relationship(back_populates="services")
    categories: Mapped[list[ServiceCategory]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceCategory.position"
    )
    languages: Mapped[list[ServiceLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceLanguage.id"
    )
    service_areas: Mapped[list[ServiceArea]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceArea.id"
    )
    cost_options: Mapped[list[CostOption]] = relationship(
        cascade="all, delete-orphan", order_by="CostOption.id"
    )
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan", order_by="Schedule.id")
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by="Phone.id", foreign_keys="Phone.service_id"
    )
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan", order_by="Contact.id")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceAtLocation.id"
    )

    @property
    def is_free(self) -> bool:
        """Free unless some cost option carries a charge."""
        return not any((c.amount or 0) > 0 for c in self.cost_options)

    @property
    def category_ids(self) -> list[str]:
        return [c.category for c in self.categories]


class ServiceCategory(Base):
    """A category id (``core.categories``) this service handles; HSDS attribute."""

    __tablename__ = "service_category"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ServiceLanguage(Base):
    __tablename__ = "language"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class ServiceArea(Base):
    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    extent_type: Mapped[str] = mapped_column(String(40))  # local_authority | postcode_district | national
    extent: Mapped[str] = mapped_column(String(300))


class CostOption(Base):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    option: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_description: Mapped[str | None] = mapped_column(Text)


class Schedule(Base):
    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    byday: Mapped[str | None] = mapped_column(String(40))
    opens_at: Mapped[str | None] = mapped_column(String(8))
    closes_at: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)


class Phone(Base):
    """A phone number of an organisation or of a service (one of the two ids is set)."""

    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    type: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(300))
    phones: Mapped[list[Any]] = mapped_column(JSONType, default=list)


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)


class DirectoryGeneration(Base):
    """One row whose number goes up in every transaction that changes what matching reads.

    Each process's matcher cache compares it (one cheap read per match) with the number its index was
    built from, so a publish in any process or web worker is matched on at once (``directory.generation``).
    """

    __tablename__ = "directory_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
