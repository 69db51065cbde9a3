-- Runs once, when the PostgreSQL volume is first created: MLflow's backend store beside stockops's own database.
CREATE DATABASE mlflow;
