package dev.equilibria.prefill;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PrefillApplication {

    public static void main(String[] args) {
        SpringApplication.run(PrefillApplication.class, args);
    }
}
