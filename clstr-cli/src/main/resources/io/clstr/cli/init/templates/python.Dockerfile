# Runs your Python server; clstr starts one container per node.
# Your server listens on the port of $ADDR (8080 in containers).
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt; fi
EXPOSE 8080
CMD ["python3", "server.py"]
